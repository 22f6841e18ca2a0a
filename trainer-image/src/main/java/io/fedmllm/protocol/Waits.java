package io.fedmllm.protocol;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait in the protocol goes through here and ends at a deadline. */
final class Waits {

  private Waits() {}

  /**
   * Polls {@code condition} every {@code interval} until it holds or {@code deadlineEpochMillis} passes.
   *
   * @return whether the condition held
   */
  static boolean until(BooleanSupplier condition, long deadlineEpochMillis, Duration interval) {
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      long left = deadlineEpochMillis - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      sleep(Math.min(left, interval.toMillis()));
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
