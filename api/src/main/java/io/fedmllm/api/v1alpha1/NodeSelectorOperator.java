package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a node label is compared (Kubernetes' NodeSelectorRequirement.operator). */
public enum NodeSelectorOperator {
  @JsonProperty("In")
  IN,
  @JsonProperty("NotIn")
  NOT_IN,
  @JsonProperty("Exists")
  EXISTS,
  @JsonProperty("DoesNotExist")
  DOES_NOT_EXIST,
  @JsonProperty("Gt")
  GT,
  @JsonProperty("Lt")
  LT
}
