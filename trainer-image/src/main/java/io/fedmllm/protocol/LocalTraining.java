package io.fedmllm.protocol;

import io.fedmllm.strategy.ServerState;
import io.fedmllm.tensor.TensorMap;

/** One client's training for one round, as the {@link Trainer} drives it. */
@FunctionalInterface
public interface LocalTraining {

  /**
   * @param plan the round's plan (round number, learning rate)
   * @param global the global adapter the round starts from
   * @param serverState the server strategy's state at the start of the round (SCAFFOLD's control variate lives here)
   */
  TrainedUpdate train(RoundPlan plan, TensorMap global, ServerState serverState);

  /** Whether {@link #adoptCommitted} needs to see this client's earlier updates (state kept across rounds). */
  default boolean keepsStateAcrossRounds() {
    return false;
  }

  /**
   * Called by a restarted trainer, in round order, for each round whose update this client had already committed
   * (instead of training it again), so state kept across rounds continues as if this process had trained it.
   *
   * @param weights the committed update's adapter; {@code steps} its optimiser steps
   */
  default void adoptCommitted(RoundPlan plan, TensorMap global, ServerState serverState, TensorMap weights,
      int steps) {}
}
