package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The built-in base models of the trainer image (see trainer-image/src/main/resources/.../presets). */
public enum ModelPreset {
  /** 0.83 M parameters: tests and quick local demos. */
  @JsonProperty("tiny")
  TINY,
  /** About 21 M parameters: benchmark and demos. */
  @JsonProperty("small")
  SMALL
}
