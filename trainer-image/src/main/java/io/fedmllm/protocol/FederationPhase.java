package io.fedmllm.protocol;

/** Where a federation stands, as recorded in its status and outcome objects. */
public enum FederationPhase {
  RUNNING,
  COMPLETED,
  FAILED
}
