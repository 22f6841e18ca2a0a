package io.fedmllm.operator.events;

/** An event to record: a typed CamelCase reason, a one-line message, Normal or Warning. */
public record TransitionEvent(String reason, String message, boolean warning) {

  public static final String ROUND_COMPLETED = "RoundCompleted";
  public static final String FEDERATION_SUCCEEDED = "FederationSucceeded";
  public static final String FEDERATION_FAILED = "FederationFailed";
  public static final String FEDERATION_SUSPENDED = "FederationSuspended";
  public static final String FEDERATION_RESUMED = "FederationResumed";
  public static final String STORAGE_UNREACHABLE = "StorageUnreachable";
  public static final String TRAINER_FAILED = "TrainerFailed";
  public static final String FEDERATION_NOT_FOUND = "FederationNotFound";
  public static final String UPDATE_REJECTED = "UpdateRejected";

  public static TransitionEvent normal(String reason, String message) {
    return new TransitionEvent(reason, message, false);
  }

  public static TransitionEvent warning(String reason, String message) {
    return new TransitionEvent(reason, message, true);
  }
}
