package io.fedmllm.operator.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.api.v1alpha1.ClientPhase;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.status.ClientObservations;
import io.fedmllm.operator.status.ClientStatusBuilder;
import io.fedmllm.operator.status.PodState;
import io.fedmllm.operator.status.StatusPatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The filter against statuses the real client status function writes. */
class ClientUpdatesForFederationTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private final ClientUpdatesForFederation filter = new ClientUpdatesForFederation();

  private static FederationClient client(FederationClientStatus status, Consumer<FederationClient> change) {
    FederationClient c = Fixtures.client("ml", "c0", "hateful");
    c.setStatus(status);
    change.accept(c);
    return c;
  }

  private static FederationClient client(FederationClientStatus status) {
    return client(status, c -> { });
  }

  private static FederationClientStatus status(FederationClientStatus old, PodState trainer, int committed) {
    Optional<FederationProgress> snapshot = committed < 0 ? Optional.empty() : Optional.of(progress(committed));
    return ClientStatusBuilder.build(old, new ClientObservations(1, "c0", "ml", "hateful", true,
        Optional.of(FederationPhase.RUNNING), false, trainer, false, snapshot, T0));
  }

  private static FederationProgress progress(int committed) {
    List<RoundManifest> rounds = new java.util.ArrayList<>();
    for (int r = 0; r < committed; r++) {
      rounds.add(new RoundManifest(r, List.of("c0"), List.of("c0"), List.of(), List.of(), 0.4,
          new RoundMetric("roc_auc", 0.7, 0.5, 100), 1.0, 2.0,
          new ObjectRef("p/rounds/global-" + r + ".safetensors", "cd".repeat(32), 42), null, List.of("c0")));
    }
    return new FederationProgress(ProgressPhase.RUNNING, committed, 3, null, null, rounds, T0.toEpochMilli(), 0);
  }

  @Test
  void statusTheFederationDoesNotReadIsDropped() {
    FederationClientStatus missing = status(null, PodState.ABSENT, 0);
    FederationClientStatus pending = status(missing, new PodState(PodState.Phase.PENDING, "p1", ""), 0);
    assertFalse(StatusPatcher.same(missing, pending), "TrainerReady: PodMissing -> PodPending is written");
    assertEquals(missing.getPhase(), pending.getPhase());
    assertFalse(filter.accept(client(pending), client(missing)));

    FederationClientStatus training = status(pending, new PodState(PodState.Phase.RUNNING, "p1", ""), 1);
    FederationClientStatus participated = status(training, new PodState(PodState.Phase.RUNNING, "p1", ""), 2);
    assertFalse(StatusPatcher.same(training, participated), "roundsParticipated, lastRound");
    assertFalse(filter.accept(client(participated), client(training)));

    Map<String, String> labels = Map.of("site", "b");
    assertFalse(filter.accept(client(training, c -> c.getMetadata().setResourceVersion("7")), client(training)));
    assertFalse(filter.accept(client(training, c -> c.getMetadata().setLabels(labels)), client(training)));
    assertFalse(filter.accept(client(training, c -> c.getMetadata().setAnnotations(labels)), client(training)));
  }

  @Test
  void specTrainerRunningOrNotDeletionAndFirstStatusReachTheFederation() {
    FederationClientStatus pending = status(null, new PodState(PodState.Phase.PENDING, "p1", ""), 0);
    FederationClientStatus training = status(pending, new PodState(PodState.Phase.RUNNING, "p1", ""), 0);
    FederationClientStatus failed = status(training, new PodState(PodState.Phase.FAILED, "p1", "exit 1"), 0);
    assertEquals(ClientPhase.TRAINING, training.getPhase());
    assertTrue(filter.accept(client(training), client(pending)), "trainer runs: clientsReady + 1");
    assertTrue(filter.accept(client(failed), client(training)), "trainer failed: clientsReady - 1");
    assertTrue(filter.accept(client(pending, c -> c.getMetadata().setGeneration(2L)), client(pending)),
        "spec: the rendered manifest lists it");
    assertTrue(filter.accept(client(pending, c -> c.getMetadata().setDeletionTimestamp("2026-01-01T10:00:00Z")),
        client(pending)), "deletion");
    assertTrue(filter.accept(client(pending), client(null)), "first status");
  }
}
