package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A taint effect (Kubernetes' Toleration.effect). */
public enum TaintEffect {
  @JsonProperty("NoSchedule")
  NO_SCHEDULE,
  @JsonProperty("PreferNoSchedule")
  PREFER_NO_SCHEDULE,
  @JsonProperty("NoExecute")
  NO_EXECUTE
}
