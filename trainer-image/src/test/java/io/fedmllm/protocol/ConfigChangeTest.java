package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedmllm.train.CosineSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which configuration changes continue a federation, which are refused, and how they are named. */
class ConfigChangeTest {

  private static final FederationConfig TWO = ProtocolHarness.config(3, 2, 2, 10_000);

  private static FederationConfig with(FederationConfig c, int rounds, int minClients, long deadline, long seed) {
    CosineSchedule s = c.schedule();
    return new FederationConfig(c.model(), c.task(), c.clients(), rounds, c.clientsPerRound(), minClients, deadline,
        seed, new CosineSchedule(s.peak(), rounds, s.warmupFraction(), s.minRatio()), c.training(), c.lora(),
        c.clientStrategy(), c.serverStrategy());
  }

  @Test
  void theSameConfigurationIsTheSame() {
    assertEquals(new ConfigChange(ConfigChange.Kind.SAME, List.of()), ConfigChange.between(TWO, TWO));
  }

  @Test
  void moreRoundsAreARaiseAndMayBringANewDeadlineAndQuorum() {
    assertEquals(new ConfigChange(ConfigChange.Kind.RAISE, List.of("rounds")),
        ConfigChange.between(TWO, with(TWO, 4, 2, 10_000, 42)));
    assertEquals(new ConfigChange(ConfigChange.Kind.RAISE, List.of("rounds", "roundDeadline", "minClients")),
        ConfigChange.between(TWO, with(TWO, 4, 1, 20_000, 42)));
  }

  @Test
  void fewerRoundsAreALowering() {
    assertEquals(ConfigChange.Kind.LOWER, ConfigChange.between(with(TWO, 4, 2, 10_000, 42), TWO).kind());
  }

  @Test
  void anyOtherFieldMakesItADifferentFederationEvenWithMoreRounds() {
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("seed", "rounds")),
        ConfigChange.between(TWO, with(TWO, 4, 2, 10_000, 7)));
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("clients", "clientsPerRound")),
        ConfigChange.between(TWO, ProtocolHarness.config(4, 2, 2, 10_000)));
  }

  @Test
  void aNewDeadlineAloneIsNotAContinuation() {
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("roundDeadline")),
        ConfigChange.between(TWO, with(TWO, 2, 2, 20_000, 42)));
  }
}
