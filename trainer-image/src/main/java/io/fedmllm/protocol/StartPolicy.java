package io.fedmllm.protocol;

import java.time.Duration;
import java.util.Optional;

/**
 * When round 0 may start: once {@code minClients} members are present, or, with a {@code timeout}, when it has
 * passed (measured from when this aggregator began waiting) with whatever members are there, provided they can reach
 * the quorum. Only round 0 of a federation waits for it; later rounds need the quorum's worth of members (see
 * {@link Aggregator}). Not part of the federation's configuration: it changes when the first round starts, not
 * what any committed round means.
 *
 * @param minClients members round 0 waits for (at least the quorum; a larger value only takes effect up to the
 *     timeout)
 */
public record StartPolicy(int minClients, Optional<Duration> timeout) {

  public StartPolicy {
    if (minClients < 1) {
      throw new IllegalArgumentException("startPolicy.minClients must be at least 1, got " + minClients);
    }
    if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
      throw new IllegalArgumentException("startPolicy.timeout must be positive, got " + timeout.get());
    }
  }

  /** Round 0 starts as soon as the quorum's worth of members is present. */
  public static StartPolicy quorum(FederationConfig config) {
    return new StartPolicy(config.minClients(), Optional.empty());
  }
}
