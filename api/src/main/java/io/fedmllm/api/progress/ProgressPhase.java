package io.fedmllm.api.progress;

/** Where a federation stands, as recorded in its status and outcome objects. */
public enum ProgressPhase {
  RUNNING,
  COMPLETED,
  FAILED
}
