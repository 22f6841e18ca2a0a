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
    return new FederationConfig(c.model(), c.task(), c.clients(), rounds, c.clientsPerRound(), c.clientFraction(),
        minClients, deadline, seed, new CosineSchedule(s.peak(), rounds, s.warmupFraction(), s.minRatio()), c.training(), c.lora(),
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
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("clientsPerRound")),
        ConfigChange.between(TWO, withSampling(TWO, 2, null)));
  }

  @Test
  void switchingTheUpdatesTransferDtypeMakesItADifferentFederation() {
    // committed rounds aggregated updates rounded (or not) to float16; switching would change what they mean
    FederationConfig half = TWO.withTransferDtype(TransferDtype.FLOAT16);
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("adapter.transferDtype")),
        ConfigChange.between(TWO, half));
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("adapter.transferDtype", "rounds")),
        ConfigChange.between(half, with(TWO, 4, 2, 10_000, 42)));
    assertEquals(ConfigChange.Kind.RAISE,
        ConfigChange.between(half, with(TWO, 4, 2, 10_000, 42).withTransferDtype(TransferDtype.FLOAT16)).kind());
  }

  @Test
  void membersJoiningOrLeavingAreTheSameFederation() {
    FederationConfig fewer = withClients(TWO, List.of("client-000", "client-002"));
    FederationConfig more = withClients(TWO, List.of("client-000", "client-001", "client-002", "client-009"));
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, fewer).kind());
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, more).kind());
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, withClients(TWO, List.of())).kind());
  }

  @Test
  void aFileThatStoredTheResolvedCountMatchesTheRuleThatResolvesToIt() {
    // federation.json before the sampling rule was stored: "every client" of 3 clients was written as 3
    FederationConfig everyMember = withSampling(TWO, 0, null);
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, everyMember).kind());
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, withSampling(TWO, 0, 1.0)).kind());
    assertEquals(List.of("clientsPerRound"), ConfigChange.between(TWO, withSampling(TWO, 0, 0.5)).differences());
    assertEquals(List.of("clientsPerRound"), ConfigChange.between(everyMember, TWO).differences());
    // a count above the 3 clients was stored as 3 too
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(TWO, withSampling(TWO, 4, null)).kind());
  }

  private static FederationConfig withClients(FederationConfig c, List<String> clients) {
    return new FederationConfig(c.model(), c.task(), clients, c.rounds(), c.clientsPerRound(), c.clientFraction(),
        c.minClients(), c.roundDeadlineMillis(), c.seed(), c.schedule(), c.training(), c.lora(), c.clientStrategy(),
        c.serverStrategy());
  }

  private static FederationConfig withSampling(FederationConfig c, int perRound, Double fraction) {
    return new FederationConfig(c.model(), c.task(), c.clients(), c.rounds(), perRound, fraction, c.minClients(),
        c.roundDeadlineMillis(), c.seed(), c.schedule(), c.training(), c.lora(), c.clientStrategy(),
        c.serverStrategy());
  }

  @Test
  void aNewDeadlineAloneIsNotAContinuation() {
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("roundDeadline")),
        ConfigChange.between(TWO, with(TWO, 2, 2, 20_000, 42)));
  }

  @Test
  void switchingTheBasesDtypeMakesItADifferentFederation() {
    // committed adapters were trained against the base's values in that precision
    assertEquals(new ConfigChange(ConfigChange.Kind.INCOMPATIBLE, List.of("model.baseDtype")),
        ConfigChange.between(TWO, TWO.withBaseDtype(BaseDtype.FLOAT16)));
  }
}
