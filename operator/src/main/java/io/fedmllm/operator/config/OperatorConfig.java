package io.fedmllm.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The operator's own settings ({@code fedmllm.operator.*} in application.properties or FEDMLLM_OPERATOR_* env). */
@ConfigMapping(prefix = "fedmllm.operator")
public interface OperatorConfig {

  /** Trainer image when a Federation names none. */
  @WithDefault("ghcr.io/fedmllm/trainer:0.1.0")
  String trainerImage();

  /**
   * Trainer image for pods that request {@code nvidia.com/gpu} when a Federation names none: the trainer image
   * variant with CUDA libtorch (trainer-image/Dockerfile, {@code --build-arg FLAVOR=cu128}).
   */
  @WithDefault("ghcr.io/fedmllm/trainer:0.1.0-cu128")
  String trainerGpuImage();

  /** Aggregator image when a Federation names none (the trainer image holds both commands). */
  @WithDefault("ghcr.io/fedmllm/trainer:0.1.0")
  String aggregatorImage();

  /** How often a running federation's status object is re-read from storage. */
  @WithDefault("15s")
  Duration storageRecheck();

  /** Wait before recreating a failed trainer; doubles with every further failure. */
  @WithDefault("10s")
  Duration trainerBackoffBase();

  /** Longest wait before recreating a failed trainer. */
  @WithDefault("5m")
  Duration trainerBackoffMax();

  /** Rounds kept in status.history. */
  @WithDefault("20")
  int historySize();

  /** Port of the pods' Prometheus endpoint. */
  @WithDefault("9090")
  int podMetricsPort();

  /** The pure-function view of these settings. */
  default OperatorSettings settings() {
    return new OperatorSettings(trainerImage(), trainerGpuImage(), aggregatorImage(), storageRecheck(), trainerBackoffBase(),
        trainerBackoffMax(), historySize(), podMetricsPort());
  }
}
