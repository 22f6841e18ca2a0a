package io.fedmllm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The element type every process of a federation holds a checkpoint's frozen weights in ({@code spec.model.baseDtype}):
 * float32, or float16, which halves the base's memory. Part of the federation's configuration, since the adapters a
 * federation trains depend on it; a {@code federation.json} written before the choice existed reads as float32.
 */
public enum BaseDtype {
  @JsonProperty("float32")
  FLOAT32,
  @JsonProperty("float16")
  FLOAT16;

  /** The spelling of the spec and {@code federation.json}. */
  public String spelling() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
