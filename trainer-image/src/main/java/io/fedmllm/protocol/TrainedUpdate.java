package io.fedmllm.protocol;

import io.fedmllm.tensor.TensorMap;

/**
 * What a trainer uploads for one round.
 *
 * @param controlDelta SCAFFOLD's control-variate change, or {@link TensorMap#empty()}
 */
public record TrainedUpdate(
    TensorMap weights, TensorMap controlDelta, long numSamples, int steps, double meanLoss, double samplesPerSecond) {}
