package io.fedmllm.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.v1alpha1.ClientPhase;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.operator.client.TrainerBackoff;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.events.TransitionEvent;
import io.fedmllm.operator.events.Transitions;
import io.fedmllm.operator.storage.StorageReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientStatusBuilderTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static ClientObservations observe(boolean found, FederationPhase phase, PodState trainer, Instant now) {
    Optional<FederationProgress> snapshot = Optional.of(((StorageReading.Snapshot)
        FederationStatusBuilderTest.snapshot("RUNNING", 3)).snapshot());
    return new ClientObservations(1, "c", "ml", "hateful", found, Optional.ofNullable(phase), false, trainer, false,
        snapshot, now);
  }

  @Test
  void missingFederationIsAConditionNotAnError() {
    FederationClientStatus s = ClientStatusBuilder.build(null, observe(false, null, PodState.ABSENT, T0));
    assertEquals(ClientPhase.PENDING, s.getPhase());
    var found = Conditions.find(s.getConditions(), ConditionTypes.FEDERATION_FOUND).orElseThrow();
    assertEquals(ConditionStatus.FALSE, found.getStatus());
    assertEquals("NotFound", found.getReason());
    assertTrue(found.getMessage().contains("Federation hateful not found in namespace ml"));
    assertTrue(Transitions.of(null, s).stream().anyMatch(e -> e.reason().equals(TransitionEvent.FEDERATION_NOT_FOUND)));
    assertTrue(Transitions.of(s, ClientStatusBuilder.build(s, observe(false, null, PodState.ABSENT, T0))).stream()
        .noneMatch(e -> e.reason().equals(TransitionEvent.FEDERATION_NOT_FOUND)), "only on the transition");
  }

  @Test
  void runningTrainerTrainsAndCountsParticipation() {
    FederationClientStatus s = ClientStatusBuilder.build(null, observe(true, FederationPhase.RUNNING,
        new PodState(PodState.Phase.RUNNING, "p1", ""), T0));
    assertEquals(ClientPhase.TRAINING, s.getPhase());
    assertEquals(0, s.getRoundsParticipated(), "client c was rejected in every round");
    assertEquals(3, s.getLastRound());
    assertEquals("round 3: NAN_OR_INF (tensor x)", s.getLastRejection());
    assertTrue(Conditions.isTrue(s.getConditions(), ConditionTypes.READY));
  }

  @Test
  void aClientOfAContinuedFederationTrainsAgain() {
    FederationClientStatus completed = ClientStatusBuilder.build(null, observe(true, FederationPhase.SUCCEEDED,
        PodState.ABSENT, T0));
    assertEquals(ClientPhase.COMPLETED, completed.getPhase());
    // spec.rounds raised: the Federation is Pending again while its aggregator and trainers come back.
    FederationClientStatus waiting = ClientStatusBuilder.build(completed, observe(true, FederationPhase.PENDING,
        PodState.ABSENT, T0.plusSeconds(5)));
    assertEquals(ClientPhase.PENDING, waiting.getPhase());
    assertEquals("PodMissing", Conditions.find(waiting.getConditions(), ConditionTypes.TRAINER_READY).orElseThrow()
        .getReason());
    FederationClientStatus training = ClientStatusBuilder.build(waiting, observe(true, FederationPhase.RUNNING,
        new PodState(PodState.Phase.RUNNING, "p2", ""), T0.plusSeconds(30)));
    assertEquals(ClientPhase.TRAINING, training.getPhase());
    assertTrue(Conditions.isTrue(training.getConditions(), ConditionTypes.READY));
  }

  @Test
  void aFailedTrainerIsCountedOnceAndBacksOff() {
    FederationClientStatus running = ClientStatusBuilder.build(null, observe(true, FederationPhase.RUNNING,
        new PodState(PodState.Phase.RUNNING, "p1", ""), T0));
    PodState failed = new PodState(PodState.Phase.FAILED, "p1", "container main exited with code 137 (OOMKilled)");
    FederationClientStatus once = ClientStatusBuilder.build(running, observe(true, FederationPhase.RUNNING, failed,
        T0.plusSeconds(5)));
    FederationClientStatus twice = ClientStatusBuilder.build(once, observe(true, FederationPhase.RUNNING, failed,
        T0.plusSeconds(6)));
    assertEquals(1, once.getTrainerRestarts());
    assertEquals(1, twice.getTrainerRestarts());
    assertEquals("2026-01-01T10:00:05Z", twice.getLastTrainerFailureTime());
    assertEquals(List.of(TransitionEvent.TRAINER_FAILED), Transitions.of(running, once).stream()
        .map(TransitionEvent::reason).filter(r -> !r.equals(TransitionEvent.UPDATE_REJECTED)).toList());

    OperatorSettings settings = OperatorSettings.defaults();
    assertEquals(Duration.ofSeconds(9), TrainerBackoff.remaining(once, settings, T0.plusSeconds(6)));
    assertEquals(Duration.ZERO, TrainerBackoff.remaining(once, settings, T0.plusSeconds(16)));

    FederationClientStatus second = ClientStatusBuilder.build(twice, observe(true, FederationPhase.RUNNING,
        new PodState(PodState.Phase.FAILED, "p2", "exit 1"), T0.plusSeconds(30)));
    assertEquals(2, second.getTrainerRestarts());
    assertEquals(Duration.ofSeconds(20), TrainerBackoff.remaining(second, settings, T0.plusSeconds(30)));
    assertEquals(Duration.ofMinutes(5), settings.trainerBackoff(30));
  }

  @Test
  void finishedFederationCompletesItsClients() {
    FederationClientStatus s = ClientStatusBuilder.build(null, observe(true, FederationPhase.SUCCEEDED,
        PodState.ABSENT, T0));
    assertEquals(ClientPhase.COMPLETED, s.getPhase());
    assertEquals("Finished", Conditions.find(s.getConditions(), ConditionTypes.TRAINER_READY).orElseThrow()
        .getReason());
  }
}
