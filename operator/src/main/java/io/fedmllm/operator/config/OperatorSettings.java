package io.fedmllm.operator.config;

import java.time.Duration;

/**
 * The settings the pure functions (desired children, status builders) take, as a plain value so unit tests need no
 * Quarkus.
 *
 * @param trainerGpuImage the trainer image for pods that request {@code nvidia.com/gpu}
 */
public record OperatorSettings(
    String trainerImage,
    String trainerGpuImage,
    String aggregatorImage,
    Duration storageRecheck,
    Duration trainerBackoffBase,
    Duration trainerBackoffMax,
    int historySize,
    int podMetricsPort) {

  /** The defaults of {@link OperatorConfig}. */
  public static OperatorSettings defaults() {
    return new OperatorSettings("ghcr.io/fedmllm/trainer:0.1.0", "ghcr.io/fedmllm/trainer:0.1.0-cu128",
        "ghcr.io/fedmllm/trainer:0.1.0",
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMinutes(5), 20, 9090);
  }

  /** Backoff before the trainer is recreated after its {@code failures}-th failure (1-based). */
  public Duration trainerBackoff(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 20));
    Duration wait = trainerBackoffBase.multipliedBy(1L << doublings);
    return wait.compareTo(trainerBackoffMax) > 0 ? trainerBackoffMax : wait;
  }
}
