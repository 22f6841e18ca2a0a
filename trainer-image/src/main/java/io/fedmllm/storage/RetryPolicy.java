package io.fedmllm.storage;

import java.time.Duration;

/**
 * How long storage calls keep retrying transient failures: exponential backoff from {@code initialBackoff} doubling up
 * to {@code maxBackoff}, for at most {@code totalBudget} per call. The default budget (60 s) outlasts a restart of an
 * object store; every individual attempt is bounded separately by {@code attemptTimeout}.
 */
public record RetryPolicy(Duration totalBudget, Duration initialBackoff, Duration maxBackoff, Duration attemptTimeout) {

  public RetryPolicy {
    if (totalBudget.isNegative() || initialBackoff.isNegative() || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0 || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("retry policy: need budget >= 0, 0 < initialBackoff <= maxBackoff, "
          + "attemptTimeout > 0");
    }
  }

  /** 60 s budget, 100 ms to 5 s backoff, 30 s per attempt. */
  public static RetryPolicy standard() {
    return new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  /** The same policy with another total budget. */
  public RetryPolicy withTotalBudget(Duration budget) {
    return new RetryPolicy(budget, initialBackoff, maxBackoff, attemptTimeout);
  }

  /** The wait before retry number {@code attempt} (1-based). */
  Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
