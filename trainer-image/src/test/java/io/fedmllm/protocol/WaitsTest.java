package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitsTest {

  @Test
  void pollsStartShortAndBackOffToTheInterval() {
    AtomicInteger polls = new AtomicInteger();
    long start = System.currentTimeMillis();
    boolean held = Waits.until(() -> polls.incrementAndGet() > 4, start + 60_000, Duration.ofMillis(5000));
    long took = System.currentTimeMillis() - start;
    assertTrue(held);
    // 5 + 10 + 20 + 40 ms of sleeps; fixed-interval polling would have slept 20 s.
    assertTrue(took < 3_000, "four polls took " + took + " ms");
  }

  @Test
  void aWaitEndsAtItsDeadlineAndNeverPollsFasterThanTheBackoffOnceItGrew() {
    AtomicInteger polls = new AtomicInteger();
    long start = System.currentTimeMillis();
    boolean held = Waits.until(() -> {
      polls.incrementAndGet();
      return false;
    }, start + 600, Duration.ofMillis(100));
    long took = System.currentTimeMillis() - start;
    assertFalse(held);
    assertTrue(took >= 600 && took < 2_000, "took " + took + " ms");
    // 5, 10, 20, 40, 80, then 100 ms: about 10 polls in 600 ms, never hundreds.
    assertTrue(polls.get() <= 14, polls.get() + " polls");
  }

  @Test
  void progressRestartsTheBackoffShort() {
    AtomicInteger polls = new AtomicInteger();
    long start = System.currentTimeMillis();
    // Reports progress on every poll until the 11th: each sleep stays at 5 ms instead of doubling towards 10 s.
    boolean held = Waits.until(() -> polls.incrementAndGet() >= 11 ? Waits.Poll.DONE : Waits.Poll.PROGRESS,
        start + 60_000, Duration.ofMillis(10_000));
    long took = System.currentTimeMillis() - start;
    assertTrue(held);
    assertTrue(took < 2_500, "11 polls with progress took " + took + " ms (without the restart: 5+10+...+2560 ms = "
        + "5.1 s)");
  }
}
