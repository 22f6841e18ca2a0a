package io.fedmllm.protocol;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling: every wait in the protocol goes through here and ends at a deadline.
 *
 * <p>S3 has no notification a reader could block on, so waits poll. They poll with a backoff that starts short
 * ({@link #FIRST_SLEEP_MILLIS}) and doubles up to the configured interval: what a process waits for usually arrives
 * soon after the wait starts (a plan right after the round it follows, updates one after another), so the first
 * polls find it within milliseconds, while a long wait costs no more requests than fixed-interval polling. A
 * condition that reports progress ({@link Progress}) restarts the backoff short, so the rest of a burst (the other
 * clients' updates) is seen as quickly as the first.
 */
final class Waits {

  /** The first sleep of a wait; each further sleep doubles, up to the configured interval. */
  static final long FIRST_SLEEP_MILLIS = 5;

  private Waits() {}

  /** A polled condition that also says whether this poll saw progress (which restarts the backoff short). */
  @FunctionalInterface
  interface Progress {
    /** @return {@link Poll#DONE}, {@link Poll#PROGRESS} (not done, something new arrived) or {@link Poll#WAIT} */
    Poll poll();
  }

  enum Poll { DONE, PROGRESS, WAIT }

  /**
   * Polls {@code condition} with the backoff until it holds or {@code deadlineEpochMillis} passes.
   *
   * @param interval the longest sleep between two polls
   * @return whether the condition held
   */
  static boolean until(BooleanSupplier condition, long deadlineEpochMillis, Duration interval) {
    return until(() -> condition.getAsBoolean() ? Poll.DONE : Poll.WAIT, deadlineEpochMillis, interval);
  }

  /** As {@link #until(BooleanSupplier, long, Duration)}; a poll reporting progress restarts the backoff short. */
  static boolean until(Progress condition, long deadlineEpochMillis, Duration interval) {
    long cap = Math.max(1, interval.toMillis());
    long next = Math.min(FIRST_SLEEP_MILLIS, cap);
    while (true) {
      Poll p = condition.poll();
      if (p == Poll.DONE) {
        return true;
      }
      if (p == Poll.PROGRESS) {
        next = Math.min(FIRST_SLEEP_MILLIS, cap);
      }
      long left = deadlineEpochMillis - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      sleep(Math.min(left, next));
      next = Math.min(cap, next * 2);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted while waiting");
    }
  }
}
