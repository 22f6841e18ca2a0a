package io.fedmllm.operator.status;

/** Condition reasons: CamelCase single words, shared by conditions and events. */
public final class Reasons {

  public static final String RUNNING = "Running";
  public static final String PROGRESSING = "Progressing";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";
  public static final String FINISHED = "Finished";
  public static final String POD_PENDING = "PodPending";
  public static final String POD_MISSING = "PodMissing";
  public static final String POD_FAILED = "PodFailed";
  public static final String POD_COMPLETED = "PodCompleted";
  public static final String ALL_TRAINERS_RUNNING = "AllTrainersRunning";
  public static final String TRAINERS_NOT_READY = "TrainersNotReady";
  public static final String NO_CLIENTS = "NoClients";
  public static final String STATUS_READ = "StatusRead";
  public static final String NOT_STARTED = "NotStarted";
  public static final String NOT_CONFIGURED = "NotConfigured";
  public static final String UNREACHABLE = "Unreachable";
  public static final String FOUND = "Found";
  public static final String NOT_FOUND = "NotFound";
  public static final String BACKOFF = "Backoff";
  public static final String COMPLETED = "Completed";
  public static final String ROUNDS_LOWERED = "RoundsLowered";

  private Reasons() {}
}
