package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;

/** The outcome of one aggregated round: the new global adapter and the state to carry into the next round. */
public record RoundResult(TensorMap global, ServerState state) {}
