package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a trainer runs its model: a CUDA GPU when one is visible, the CPU, or a GPU required. */
public enum TrainingDevice {
  /** A visible CUDA GPU (one the device plugin gave the pod), else the CPU (the default). */
  @JsonProperty("auto")
  AUTO,
  /** The CPU, even when a GPU is visible. */
  @JsonProperty("cpu")
  CPU,
  /** A CUDA GPU; a trainer that sees none fails at start-up naming spec.training.device. */
  @JsonProperty("cuda")
  CUDA
}
