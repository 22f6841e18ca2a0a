package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The element type a checkpoint's frozen weights are held in while training: float16 halves the base's memory (what
 * fits on a GPU); LoRA factors, optimiser state, norms' arithmetic, softmax and the loss stay float32.
 */
public enum BaseDtype {
  @JsonProperty("float32")
  FLOAT32,
  @JsonProperty("float16")
  FLOAT16
}
