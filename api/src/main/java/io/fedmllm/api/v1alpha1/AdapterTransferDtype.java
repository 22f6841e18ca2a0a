package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The element type trainers upload their adapter updates in; the aggregation always runs in float32. */
public enum AdapterTransferDtype {
  @JsonProperty("float32")
  FLOAT32,
  @JsonProperty("float16")
  FLOAT16
}
