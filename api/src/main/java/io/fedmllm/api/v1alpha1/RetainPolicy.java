package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a federation's objects in storage when the Federation is deleted. */
public enum RetainPolicy {
  /** Keep adapters, checkpoints and status (the default). */
  @JsonProperty("Retain")
  RETAIN,
  /** Remove the federation's storage prefix before the Federation goes away. */
  @JsonProperty("Delete")
  DELETE
}
