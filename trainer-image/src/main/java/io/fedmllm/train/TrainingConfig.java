package io.fedmllm.train;

/**
 * Local training hyper-parameters of one client for one round: AdamW (the paper's beta2 0.95, weight decay 0.1),
 * micro-batch size, gradient accumulation, and either a number of local epochs or a fixed number of optimiser steps.
 */
public record TrainingConfig(
    int batchSize,
    int gradientAccumulation,
    int localEpochs,
    int localSteps,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double maxGradNorm) {

  public TrainingConfig {
    check(batchSize > 0, "training.batchSize must be positive");
    check(gradientAccumulation > 0, "training.gradientAccumulation must be positive");
    check(localEpochs >= 0 && localSteps >= 0 && (localEpochs > 0) != (localSteps > 0),
        "training: set exactly one of localEpochs and localSteps");
    check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "training: betas must be in [0, 1)");
    check(epsilon > 0, "training.epsilon must be positive");
    check(weightDecay >= 0, "training.weightDecay must not be negative");
    check(maxGradNorm >= 0, "training.maxGradNorm must not be negative (0 disables clipping)");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The paper's recipe: one local epoch, AdamW(0.9, 0.95, wd 0.1). */
  public static TrainingConfig paperDefault(int batchSize, int gradientAccumulation) {
    return new TrainingConfig(batchSize, gradientAccumulation, 1, 0, 0.9, 0.95, 1e-8, 0.1, 1.0);
  }

  public TrainingConfig withLocalSteps(int steps) {
    return new TrainingConfig(
        batchSize, gradientAccumulation, 0, steps, beta1, beta2, epsilon, weightDecay, maxGradNorm);
  }

  public TrainingConfig withLocalEpochs(int epochs) {
    return new TrainingConfig(
        batchSize, gradientAccumulation, epochs, 0, beta1, beta2, epsilon, weightDecay, maxGradNorm);
  }

  /** Optimiser steps a client with {@code samples} examples takes in one round. */
  public int stepsFor(int samples) {
    if (localSteps > 0) {
      return localSteps;
    }
    int perStep = batchSize * gradientAccumulation;
    return Math.max(1, localEpochs * ((samples + perStep - 1) / perStep));
  }
}
