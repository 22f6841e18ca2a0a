package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The derived one-word state of a FederationClient, shown as a printer column. */
public enum ClientPhase {
  /** Waiting for its Federation or for its trainer pod to start. */
  @JsonProperty("Pending")
  PENDING,
  /** Its trainer is running and takes part in rounds. */
  @JsonProperty("Training")
  TRAINING,
  /** Its Federation finished; its trainer was removed. */
  @JsonProperty("Completed")
  COMPLETED,
  /** Its trainer keeps failing. */
  @JsonProperty("Failed")
  FAILED
}
