package io.fedmllm.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RejectedUpdate;
import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.api.v1alpha1.Condition;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.api.v1alpha1.RoundSummary;
import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.operator.events.TransitionEvent;
import io.fedmllm.operator.events.Transitions;
import io.fedmllm.operator.storage.StorageLocation;
import io.fedmllm.operator.storage.StorageReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FederationStatusBuilderTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final PodState RUNNING = new PodState(PodState.Phase.RUNNING, "a1", "");
  private final FederationStatusBuilder builder = new FederationStatusBuilder(3);

  private static Optional<StorageLocation> location() {
    StorageSpec s = new StorageSpec();
    s.setBucket("fedmllm");
    return StorageLocation.of("ml", "hateful", s);
  }

  private static FederationObservations observe(StorageReading storage, PodState aggregator, boolean suspend,
      int rounds, Instant now) {
    return new FederationObservations(2, rounds, suspend, 2, TaskType.HATEFUL, location(), storage, aggregator, 4, 3,
        now);
  }

  static StorageReading snapshot(String phase, int committed) {
    return snapshot(phase, committed, 5, 0);
  }

  /** status.json of a federation that runs to {@code total} rounds in generation {@code generation}. */
  static StorageReading snapshot(String phase, int committed, int total, int generation) {
    List<RoundManifest> rounds = new ArrayList<>();
    for (int r = 0; r < committed; r++) {
      rounds.add(new RoundManifest(r, List.of("a", "b", "c"), List.of("a", "b"),
          List.of(new RejectedUpdate("c", RejectionReason.NAN_OR_INF, "tensor x")), List.of(), 0.5 - r * 0.01,
          new RoundMetric("roc_auc", 0.6 + r * 0.01, 0.5, 100), 1.0, 2.0,
          new ObjectRef("ml/hateful/rounds/0000" + r + "/global-abc.safetensors", "ab".repeat(32), 10), null,
          null));
    }
    return new StorageReading.Snapshot(new FederationProgress(ProgressPhase.valueOf(phase), committed, total, null, null, rounds,
        T0.toEpochMilli(), generation));
  }

  private static Condition condition(FederationStatus s, String type) {
    return Conditions.find(s.getConditions(), type).orElseThrow();
  }

  @Test
  void runningFederationMirrorsStorageProgress() {
    FederationStatus s = builder.build(null, observe(snapshot("RUNNING", 2), RUNNING, false, 5, T0));
    assertEquals(FederationPhase.RUNNING, s.getPhase());
    assertEquals(2L, s.getObservedGeneration());
    assertEquals(2, s.getCompletedRounds());
    assertEquals(3, s.getCurrentRound());
    assertEquals("2/5", s.getProgress());
    assertEquals(0.61, s.getLastMetric(), 1e-9);
    assertEquals(2, s.getClientsParticipating());
    assertEquals(3, s.getClientsReady());
    assertEquals("s3://fedmllm/ml/hateful/rounds/00001/global-abc.safetensors", s.getLatestAdapter().getUri());
    assertEquals(2, s.getLatestAdapter().getRound());
    assertEquals(List.of("c"), s.getHistory().get(1).getMissingClients());
    assertEquals(ConditionStatus.TRUE, condition(s, ConditionTypes.READY).getStatus());
    assertEquals(ConditionStatus.TRUE, condition(s, ConditionTypes.AGGREGATOR_READY).getStatus());
    assertEquals(ConditionStatus.FALSE, condition(s, ConditionTypes.CLIENTS_READY).getStatus());
    assertEquals("3 of 4 trainers running (quorum 2)", condition(s, ConditionTypes.CLIENTS_READY).getMessage());
    assertEquals(ConditionStatus.TRUE, condition(s, ConditionTypes.STORAGE_READY).getStatus());
  }

  @Test
  void historyShowsEachRoundsPoolAndWhoJoinedOrLeftIt() {
    List<List<String>> pools = List.of(List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "c"));
    List<RoundManifest> rounds = new ArrayList<>();
    for (int r = 0; r < pools.size(); r++) {
      rounds.add(new RoundManifest(r, pools.get(r), pools.get(r), List.of(), List.of(), 0.5, null, 1.0, 2.0,
          new ObjectRef("ml/hateful/rounds/0000" + r + "/global-abc.safetensors", "ab".repeat(32), 10), null,
          pools.get(r)));
    }
    StorageReading storage = new StorageReading.Snapshot(new FederationProgress(ProgressPhase.RUNNING, 3, 5, null,
        null, rounds, T0.toEpochMilli(), 0));
    List<RoundSummary> history = builder.build(null, observe(storage, RUNNING, false, 5, T0)).getHistory();
    assertEquals(List.of(2, 3, 2), history.stream().map(RoundSummary::getPoolSize).toList());
    assertNull(history.get(0).getJoinedClients(), "the first round has nothing to compare with");
    assertEquals(List.of("c"), history.get(1).getJoinedClients());
    assertNull(history.get(1).getLeftClients());
    assertEquals(List.of("b"), history.get(2).getLeftClients());
    assertNull(history.get(2).getJoinedClients());
    // rounds committed before rounds recorded their pool show none
    assertNull(builder.build(null, observe(snapshot("RUNNING", 2), RUNNING, false, 5, T0)).getHistory().get(0)
        .getPoolSize());
  }

  @Test
  void historyIsBounded() {
    FederationStatus s = builder.build(null, observe(snapshot("RUNNING", 5), RUNNING, false, 5, T0));
    assertEquals(List.of(3, 4, 5), s.getHistory().stream().map(r -> r.getRound()).toList());
  }

  @Test
  void lastTransitionTimeChangesOnlyWhenTheStatusFlips() {
    FederationStatus first = builder.build(null, observe(new StorageReading.NotStarted(),
        new PodState(PodState.Phase.PENDING, "a1", ""), false, 5, T0));
    assertEquals(FederationPhase.PENDING, first.getPhase());
    Condition pending = condition(first, ConditionTypes.AGGREGATOR_READY);
    assertEquals("PodPending", pending.getReason());

    FederationStatus same = builder.build(first, observe(new StorageReading.NotStarted(),
        new PodState(PodState.Phase.PENDING, "a1", "image pull"), false, 5, T0.plusSeconds(60)));
    assertEquals(pending.getLastTransitionTime(), condition(same, ConditionTypes.AGGREGATOR_READY)
        .getLastTransitionTime());

    FederationStatus flipped = builder.build(same, observe(snapshot("RUNNING", 1), RUNNING, false, 5,
        T0.plusSeconds(120)));
    Condition running = condition(flipped, ConditionTypes.AGGREGATOR_READY);
    assertEquals(ConditionStatus.TRUE, running.getStatus());
    assertEquals("2026-01-01T10:02:00Z", running.getLastTransitionTime());
    assertEquals(condition(first, ConditionTypes.STORAGE_READY).getLastTransitionTime(),
        condition(flipped, ConditionTypes.STORAGE_READY).getLastTransitionTime());
  }

  @Test
  void completedFederationSucceedsAndStopsWantingPods() {
    FederationStatus running = builder.build(null, observe(snapshot("RUNNING", 4), RUNNING, false, 5, T0));
    FederationStatus done = builder.build(running, observe(snapshot("COMPLETED", 5), RUNNING, false, 5,
        T0.plusSeconds(10)));
    assertEquals(FederationPhase.SUCCEEDED, done.getPhase());
    assertFalse(FederationStatusBuilder.wantsPods(done.getPhase()));
    assertEquals(5, done.getLatestAdapter().getRound());
    assertEquals(ConditionStatus.TRUE, condition(done, ConditionTypes.READY).getStatus());
    assertEquals("Finished", condition(done, ConditionTypes.AGGREGATOR_READY).getReason());
    List<String> reasons = Transitions.of(running, done).stream().map(TransitionEvent::reason).toList();
    assertEquals(List.of(TransitionEvent.ROUND_COMPLETED, TransitionEvent.FEDERATION_SUCCEEDED), reasons);
    assertTrue(Transitions.of(done, done).isEmpty(), "no events without a transition");
  }

  @Test
  void raisingRoundsOnAFinishedFederationContinuesItToTheNewTotal() {
    FederationStatus done = builder.build(null, observe(snapshot("COMPLETED", 5), RUNNING, false, 5, T0));
    FederationStatus more = builder.build(done, observe(snapshot("COMPLETED", 5), PodState.ABSENT, false, 8,
        T0.plusSeconds(5)));
    assertEquals(FederationPhase.PENDING, more.getPhase());
    assertTrue(FederationStatusBuilder.wantsPods(more.getPhase()), "the pods come back for the continuation");
    assertEquals("5/8", more.getProgress());
    assertEquals(6, more.getCurrentRound());
    Condition ready = condition(more, ConditionTypes.READY);
    assertEquals("Progressing", ready.getReason());
    assertEquals("continuing after round 5 to 8 rounds: waiting for the aggregator", ready.getMessage());

    // The aggregator runs the continuation (generation 1) and reports the raised total.
    FederationStatus running = builder.build(more, observe(snapshot("RUNNING", 6, 8, 1), RUNNING, false, 8,
        T0.plusSeconds(60)));
    assertEquals(FederationPhase.RUNNING, running.getPhase());
    assertEquals("6/8", running.getProgress());
    assertEquals(ConditionStatus.TRUE, condition(running, ConditionTypes.READY).getStatus());
    assertEquals(List.of(TransitionEvent.ROUND_COMPLETED),
        Transitions.of(more, running).stream().map(TransitionEvent::reason).toList());

    FederationStatus succeeded = builder.build(running, observe(snapshot("COMPLETED", 8, 8, 1), RUNNING, false, 8,
        T0.plusSeconds(120)));
    assertEquals(FederationPhase.SUCCEEDED, succeeded.getPhase());
    assertFalse(FederationStatusBuilder.wantsPods(succeeded.getPhase()));
    assertEquals("completed 8/8 rounds", condition(succeeded, ConditionTypes.READY).getMessage());
    assertEquals(8, succeeded.getLatestAdapter().getRound());
    assertTrue(Transitions.of(running, succeeded).stream()
        .anyMatch(e -> e.reason().equals(TransitionEvent.FEDERATION_SUCCEEDED)));
  }

  @Test
  void loweringRoundsBelowTheFederationInStorageIsNotReadyAndStartsNothing() {
    FederationStatus done = builder.build(null, observe(snapshot("COMPLETED", 5), RUNNING, false, 5, T0));
    FederationStatus lowered = builder.build(done, observe(snapshot("COMPLETED", 5), PodState.ABSENT, false, 3,
        T0.plusSeconds(5)));
    assertEquals(FederationPhase.SUCCEEDED, lowered.getPhase(), "what storage holds is still complete");
    assertFalse(FederationStatusBuilder.wantsPods(lowered.getPhase()));
    Condition ready = condition(lowered, ConditionTypes.READY);
    assertEquals(ConditionStatus.FALSE, ready.getStatus());
    assertEquals("RoundsLowered", ready.getReason());
    assertEquals("spec.rounds 3 is below the 5 rounds of the federation in storage (5 committed); rounds can only be"
        + " raised", ready.getMessage());

    FederationStatus running = builder.build(null, observe(snapshot("RUNNING", 2, 5, 0), RUNNING, false, 4, T0));
    assertEquals("RoundsLowered", condition(running, ConditionTypes.READY).getReason(),
        "a running federation keeps its total too");
  }

  @Test
  void raisingRoundsOfAFailedFederationDoesNotContinueIt() {
    StorageReading failed = new StorageReading.Snapshot(new FederationProgress(ProgressPhase.FAILED, 2, 5,
        "round 3: only 1 of 2 updates by the extended deadline", null, List.of(), T0.toEpochMilli(), 0));
    FederationStatus s = builder.build(null, observe(failed, PodState.ABSENT, false, 8, T0));
    assertEquals(FederationPhase.FAILED, s.getPhase());
    assertFalse(FederationStatusBuilder.wantsPods(s.getPhase()));
    assertEquals("round 3: only 1 of 2 updates by the extended deadline; raising spec.rounds does not continue a"
        + " failed federation", condition(s, ConditionTypes.READY).getMessage());
  }

  @Test
  void suspendKeepsProgressAndResumeContinues() {
    FederationStatus running = builder.build(null, observe(snapshot("RUNNING", 2), RUNNING, false, 5, T0));
    FederationStatus suspended = builder.build(running, observe(snapshot("RUNNING", 2), RUNNING, true, 5, T0));
    assertEquals(FederationPhase.SUSPENDED, suspended.getPhase());
    assertEquals(2, suspended.getCompletedRounds());
    assertFalse(FederationStatusBuilder.wantsPods(suspended.getPhase()));
    assertEquals(List.of(TransitionEvent.FEDERATION_SUSPENDED),
        Transitions.of(running, suspended).stream().map(TransitionEvent::reason).toList());
    FederationStatus resumed = builder.build(suspended, observe(snapshot("RUNNING", 2), PodState.ABSENT, false, 5,
        T0));
    assertEquals(FederationPhase.PENDING, resumed.getPhase());
    assertEquals(List.of(TransitionEvent.FEDERATION_RESUMED),
        Transitions.of(suspended, resumed).stream().map(TransitionEvent::reason).toList());
  }

  @Test
  void unreachableStorageKeepsTheLastKnownProgress() {
    FederationStatus running = builder.build(null, observe(snapshot("RUNNING", 2), RUNNING, false, 5, T0));
    FederationStatus blind = builder.build(running, observe(new StorageReading.Unreachable("HTTP 403"), RUNNING,
        false, 5, T0));
    assertEquals(2, blind.getCompletedRounds());
    assertEquals(running.getLatestAdapter().getSha256(), blind.getLatestAdapter().getSha256());
    assertEquals("Unreachable", condition(blind, ConditionTypes.STORAGE_READY).getReason());
    assertEquals(ConditionStatus.FALSE, condition(blind, ConditionTypes.READY).getStatus());
  }

  @Test
  void failedFederationReportsTheAggregatorsReason() {
    StorageReading failed = new StorageReading.Snapshot(new FederationProgress(ProgressPhase.FAILED, 1, 5,
        "round 2: only 1 of 2 updates by the extended deadline", null, List.of(), T0.toEpochMilli(), 0));
    FederationStatus s = builder.build(null, observe(failed, RUNNING, false, 5, T0));
    assertEquals(FederationPhase.FAILED, s.getPhase());
    assertTrue(condition(s, ConditionTypes.READY).getMessage().startsWith("round 2: only 1 of 2"));
  }

  @Test
  void missingStorageBlocksTheFederation() {
    FederationStatus s = builder.build(null, new FederationObservations(1, 5, false, 1, TaskType.CRISIS,
        Optional.empty(), new StorageReading.NotConfigured(), PodState.ABSENT, 0, 0, T0));
    assertEquals(FederationPhase.PENDING, s.getPhase());
    assertEquals("NotConfigured", condition(s, ConditionTypes.STORAGE_READY).getReason());
    assertEquals("NoClients", condition(s, ConditionTypes.CLIENTS_READY).getReason());
    assertEquals("macro_f1", s.getMetricName());
    assertNotEquals(null, s.getConditions());
  }
}
