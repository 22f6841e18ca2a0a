package io.fedmllm.operator.client;

import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.operator.config.OperatorSettings;
import java.time.Duration;
import java.time.Instant;

/** How long a client still waits before its failed trainer is recreated: base doubling per failure, capped. */
public final class TrainerBackoff {

  private TrainerBackoff() {}

  /** Zero when no failure is recorded or the backoff has passed. */
  public static Duration remaining(FederationClientStatus status, OperatorSettings settings, Instant now) {
    if (status == null || status.getLastTrainerFailureTime() == null || status.getTrainerRestarts() == null
        || status.getTrainerRestarts() == 0) {
      return Duration.ZERO;
    }
    Instant failedAt = Instant.parse(status.getLastTrainerFailureTime());
    Duration left = Duration.between(now, failedAt.plus(settings.trainerBackoff(status.getTrainerRestarts())));
    return left.isNegative() ? Duration.ZERO : left;
  }
}
