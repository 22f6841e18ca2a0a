package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a toleration matches a taint (Kubernetes' Toleration.operator). */
public enum TolerationOperator {
  @JsonProperty("Exists")
  EXISTS,
  @JsonProperty("Equal")
  EQUAL
}
