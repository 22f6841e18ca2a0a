package io.fedmllm.protocol;

import java.time.Duration;

/**
 * How often processes poll for manifests and how long a trainer waits for the next plan before giving up. The
 * aggregator's own waits are bounded by each round's deadline (and its single extension); its wait for round 0's
 * members without a start policy timeout is bounded by the same idle limit.
 */
public record ProtocolTiming(Duration pollInterval, Duration trainerMaxIdle) {

  public ProtocolTiming {
    if (pollInterval.isNegative() || pollInterval.isZero() || trainerMaxIdle.isNegative() || trainerMaxIdle.isZero()) {
      throw new IllegalArgumentException("poll interval and trainer idle limit must be positive");
    }
  }

  /** Polls every second; a trainer waits up to an hour for the aggregator (e.g. across its restart). */
  public static ProtocolTiming standard() {
    return new ProtocolTiming(Duration.ofSeconds(1), Duration.ofHours(1));
  }
}
