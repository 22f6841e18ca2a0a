package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {
  @Test
  void warmsUpLinearlyThenDecaysByCosineToTheFloor() {
    // 10 rounds, 10% warm-up -> 1 warm-up round at peak/2; then 9 decay rounds from peak to 0.1 * peak.
    CosineSchedule s = new CosineSchedule(1.0, 10, 0.1, 0.1);
    assertEquals(1, s.warmupRounds());
    assertEquals(0.5, s.rate(0), 1e-12);
    assertEquals(1.0, s.rate(1), 1e-12);
    // midpoint of the decay (round 1 + 4 of 8 steps): min + (peak-min)/2 = 0.55
    assertEquals(0.55, s.rate(5), 1e-12);
    assertEquals(0.1, s.rate(9), 1e-12);
  }

  @Test
  void paperWarmupOfOnePercentIsOneRoundOfFifty() {
    assertEquals(1, new CosineSchedule(2e-5, 50, 0.01, 0).warmupRounds());
  }

  @Test
  void roundOutsideTheScheduleIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 3, 0, 0).rate(3));
  }
}
