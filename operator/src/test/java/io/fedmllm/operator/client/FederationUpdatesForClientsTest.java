package io.fedmllm.operator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.status.ClientObservations;
import io.fedmllm.operator.status.ClientStatusBuilder;
import io.fedmllm.operator.status.FederationObservations;
import io.fedmllm.operator.status.FederationStatusBuilder;
import io.fedmllm.operator.status.PodState;
import io.fedmllm.operator.status.StatusPatcher;
import io.fedmllm.operator.storage.StorageLocation;
import io.fedmllm.operator.storage.StorageReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The filter against statuses the real status function writes, not hand-picked fields. */
class FederationUpdatesForClientsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final PodState AGGREGATOR = new PodState(PodState.Phase.RUNNING, "a1", "");

  private final FederationUpdatesForClients filter = new FederationUpdatesForClients();
  private final FederationStatusBuilder builder = new FederationStatusBuilder(10);

  private static Federation federation(FederationStatus status, Consumer<Federation> change) {
    Federation f = Fixtures.federation("ml", "hateful");
    f.setStatus(status);
    change.accept(f);
    return f;
  }

  private static Federation federation(FederationStatus status) {
    return federation(status, f -> { });
  }

  private static FederationObservations observe(StorageReading storage, int clients, int ready, Instant now) {
    return new FederationObservations(1, 3, false, 2, TaskType.HATEFUL,
        StorageLocation.of("ml", "hateful", Fixtures.federation("ml", "hateful").getSpec().getStorage()), storage,
        AGGREGATOR, clients, ready, now);
  }

  private static FederationProgress progress(int committed) {
    List<RoundManifest> rounds = new ArrayList<>();
    for (int r = 0; r < committed; r++) {
      rounds.add(new RoundManifest(r, List.of("c0", "c1"), List.of("c0", "c1"), List.of(), List.of(), 0.4,
          new RoundMetric("roc_auc", 0.7, 0.5, 100), 1.0, 2.0,
          new ObjectRef("p/rounds/global-" + r + ".safetensors", "cd".repeat(32), 42), null, List.of("c0", "c1")));
    }
    return new FederationProgress(ProgressPhase.RUNNING, committed, 3, null, null, rounds, T0.toEpochMilli(), 0);
  }

  private static StorageReading committed(int rounds) {
    return new StorageReading.Snapshot(progress(rounds));
  }

  @Test
  void clientsJoiningAndTrainersStartingDoNotReconcileEveryClient() {
    FederationStatus five = builder.build(null, observe(committed(1), 10, 5, T0));
    FederationStatus six = builder.build(five, observe(committed(1), 11, 6, T0.plusSeconds(1)));
    FederationStatus all = builder.build(six, observe(committed(1), 11, 11, T0.plusSeconds(2)));
    assertFalse(StatusPatcher.same(five, six), "the Federation's status is written");
    assertFalse(filter.accept(federation(six), federation(five)));
    assertFalse(StatusPatcher.same(six, all), "ClientsReady flips to True");
    assertFalse(filter.accept(federation(all), federation(six)));
    FederationStatus blind = builder.build(all, observe(new StorageReading.Unreachable("HTTP 503"), 11, 11,
        T0.plusSeconds(3)));
    assertFalse(StatusPatcher.same(all, blind), "StorageReady flips to False");
    assertFalse(filter.accept(federation(blind), federation(all)), "progress kept from the old status");
  }

  @Test
  void metadataNoClientReadsIsDropped() {
    FederationStatus s = builder.build(null, observe(committed(1), 10, 5, T0));
    Federation older = federation(s);
    assertFalse(filter.accept(federation(s, f -> f.getMetadata().setResourceVersion("2")), older));
    assertFalse(filter.accept(federation(s, f -> f.getMetadata().setLabels(Map.of("team", "a"))), older));
    assertFalse(filter.accept(federation(s, f -> f.getMetadata().setAnnotations(Map.of("note", "x"))), older));
    assertFalse(filter.accept(federation(s, f -> f.getMetadata().setFinalizers(List.of("x/y"))), older));
  }

  @Test
  void theFirstSnapshotReachesTheClientsThoughPhaseAndCommittedRoundsStay() {
    FederationStatus notStarted = builder.build(null, observe(new StorageReading.NotStarted(), 10, 10, T0));
    FederationStatus first = builder.build(notStarted, observe(committed(0), 10, 10, T0.plusSeconds(1)));
    assertEquals(notStarted.getPhase(), first.getPhase());
    assertEquals(notStarted.getCompletedRounds(), first.getCompletedRounds());
    // what a client's reconcile derives from the snapshot it now finds in the registry
    ClientObservations before = new ClientObservations(1, "c0", "ml", "hateful", true,
        Optional.of(FederationPhase.RUNNING), false, PodState.ABSENT, false, Optional.empty(), T0);
    ClientObservations after = new ClientObservations(1, "c0", "ml", "hateful", true,
        Optional.of(FederationPhase.RUNNING), false, PodState.ABSENT, false, Optional.of(progress(0)), T0);
    assertNull(ClientStatusBuilder.build(null, before).getRoundsParticipated());
    assertEquals(0, ClientStatusBuilder.build(null, after).getRoundsParticipated());
    assertTrue(filter.accept(federation(first), federation(notStarted)));
  }

  @Test
  void aCommittedRoundReachesTheClients() {
    FederationStatus one = builder.build(null, observe(committed(1), 10, 10, T0));
    FederationStatus two = builder.build(one, observe(committed(2), 10, 10, T0.plusSeconds(1)));
    assertNotEquals(one.getCompletedRounds(), two.getCompletedRounds());
    assertTrue(filter.accept(federation(two), federation(one)));
  }

  @Test
  void specPhaseDeletionAndStatusAppearingDo() {
    FederationStatus s = builder.build(null, observe(committed(1), 10, 5, T0));
    Federation older = federation(s);
    assertTrue(filter.accept(federation(s, f -> f.getMetadata().setGeneration(2L)), older), "spec (e.g. suspend)");
    FederationStatus succeeded = builder.build(s, observe(committed(1), 10, 5, T0));
    succeeded.setPhase(FederationPhase.SUCCEEDED);
    assertTrue(filter.accept(federation(succeeded), older), "phase");
    assertTrue(filter.accept(federation(s, f -> f.getMetadata().setDeletionTimestamp("2026-01-01T10:00:00Z")),
        older), "deletion");
    assertTrue(filter.accept(federation(null), older), "status gone");
    assertTrue(filter.accept(older, federation(null)), "first status");
  }
}
