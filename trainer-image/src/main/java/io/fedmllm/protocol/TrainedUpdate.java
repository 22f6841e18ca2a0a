package io.fedmllm.protocol;

import io.fedmllm.tensor.TensorMap;

/**
 * What a trainer uploads for one round.
 *
 * @param controlDelta SCAFFOLD's control-variate change, or {@link TensorMap#empty()}
 * @param peakMemoryBytes the most memory a training step left in use on the trainer's device (0: not measured)
 * @param memoryKind what that figure counts ("device" for a GPU's memory, "host-rss" for the CPU's resident set)
 */
public record TrainedUpdate(TensorMap weights, TensorMap controlDelta, long numSamples, int steps, double meanLoss,
    double samplesPerSecond, long peakMemoryBytes, String memoryKind) {

  public TrainedUpdate(
      TensorMap weights, TensorMap controlDelta, long numSamples, int steps, double meanLoss, double samplesPerSecond) {
    this(weights, controlDelta, numSamples, steps, meanLoss, samplesPerSecond, 0, "host-rss");
  }
}
