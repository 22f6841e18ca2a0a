package io.fedmllm.operator.status;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.RejectedUpdate;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.v1alpha1.ClientPhase;
import io.fedmllm.api.v1alpha1.Condition;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import java.time.Instant;
import java.util.List;

/**
 * The pure status function of a FederationClient: old status + observations -> new status. A failed trainer pod is
 * counted once (by its uid) with the time of the failure, from which the backoff before its replacement runs.
 */
public final class ClientStatusBuilder {

  private ClientStatusBuilder() {}

  public static FederationClientStatus build(FederationClientStatus old, ClientObservations o) {
    FederationClientStatus previous = old == null ? new FederationClientStatus() : old;
    FederationClientStatus s = new FederationClientStatus();
    s.setObservedGeneration(o.generation());
    s.setTrainerRestarts(previous.getTrainerRestarts() == null ? 0 : previous.getTrainerRestarts());
    s.setLastFailedTrainerUid(previous.getLastFailedTrainerUid());
    s.setLastTrainerFailureTime(previous.getLastTrainerFailureTime());
    if (isNewFailure(previous, o.trainer())) {
      s.setTrainerRestarts(s.getTrainerRestarts() + 1);
      s.setLastFailedTrainerUid(o.trainer().uid());
      s.setLastTrainerFailureTime(Conditions.format(o.now()));
    }
    s.setRoundsParticipated(previous.getRoundsParticipated());
    s.setLastRound(previous.getLastRound());
    s.setLastLoss(previous.getLastLoss());
    s.setLastRejection(previous.getLastRejection());
    o.snapshot().ifPresent(snapshot -> participation(snapshot, o.clientName(), s));
    s.setPhase(phase(o));
    s.setConditions(conditions(previous.getConditions(), o, s));
    return s;
  }

  /** Whether {@code trainer} is a failed pod not counted yet. */
  public static boolean isNewFailure(FederationClientStatus previous, PodState trainer) {
    return trainer.phase() == PodState.Phase.FAILED && trainer.uid() != null
        && !trainer.uid().equals(previous.getLastFailedTrainerUid());
  }

  private static void participation(FederationProgress snapshot, String client, FederationClientStatus s) {
    int accepted = 0;
    Integer lastSampled = null;
    String rejection = s.getLastRejection();
    for (RoundManifest r : snapshot.history()) {
      if (r.accepted().contains(client)) {
        accepted++;
      }
      if (r.sampled().contains(client)) {
        lastSampled = r.round() + 1;
      }
      for (RejectedUpdate x : r.rejected()) {
        if (client.equals(x.client())) {
          rejection = "round " + (r.round() + 1) + ": " + x.reason()
              + (x.message() == null ? "" : " (" + x.message() + ")");
        }
      }
    }
    s.setRoundsParticipated(accepted);
    s.setLastRound(lastSampled);
    s.setLastRejection(rejection);
  }

  private static ClientPhase phase(ClientObservations o) {
    if (!o.federationFound()) {
      return ClientPhase.PENDING;
    }
    FederationPhase fed = o.federationPhase().orElse(FederationPhase.PENDING);
    if (fed == FederationPhase.SUCCEEDED) {
      return ClientPhase.COMPLETED;
    }
    if (fed == FederationPhase.FAILED) {
      return ClientPhase.FAILED;
    }
    return o.trainer().phase() == PodState.Phase.RUNNING ? ClientPhase.TRAINING : ClientPhase.PENDING;
  }

  private static List<Condition> conditions(List<Condition> old, ClientObservations o, FederationClientStatus s) {
    long gen = o.generation();
    Instant now = o.now();
    List<Condition> c = o.federationFound()
        ? Conditions.set(old, ConditionTypes.FEDERATION_FOUND, ConditionStatus.TRUE, Reasons.FOUND,
            "Federation " + o.federationName() + " found", gen, now)
        : Conditions.set(old, ConditionTypes.FEDERATION_FOUND, ConditionStatus.FALSE, Reasons.NOT_FOUND,
            "Federation " + o.federationName() + " not found in namespace " + o.namespace()
                + "; the trainer starts when it is created", gen, now);
    c = trainerCondition(c, o, s, gen, now);
    boolean ready = s.getPhase() == ClientPhase.COMPLETED || s.getPhase() == ClientPhase.TRAINING;
    String reason = s.getPhase() == ClientPhase.COMPLETED ? Reasons.COMPLETED
        : ready ? Reasons.RUNNING
        : !o.federationFound() ? Reasons.NOT_FOUND
        : s.getPhase() == ClientPhase.FAILED ? Reasons.FAILED : Reasons.PROGRESSING;
    return Conditions.set(c, ConditionTypes.READY, ready ? ConditionStatus.TRUE : ConditionStatus.FALSE, reason,
        "phase " + s.getPhase().name().toLowerCase(java.util.Locale.ROOT), gen, now);
  }

  private static List<Condition> trainerCondition(List<Condition> c, ClientObservations o, FederationClientStatus s,
      long gen, Instant now) {
    String type = ConditionTypes.TRAINER_READY;
    if (!o.federationFound()) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.NOT_FOUND, "no Federation to train for", gen,
          now);
    }
    if (s.getPhase() == ClientPhase.COMPLETED || s.getPhase() == ClientPhase.FAILED) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.FINISHED, "federation finished: pod removed",
          gen, now);
    }
    if (o.suspended()) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.SUSPENDED, "federation suspended: pod removed",
          gen, now);
    }
    if (o.trainer().phase() == PodState.Phase.FAILED || o.backoffActive()) {
      String why = o.trainer().phase() == PodState.Phase.FAILED ? o.trainer().message() : "trainer failed";
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.BACKOFF, why + "; recreated after backoff ("
          + s.getTrainerRestarts() + " failures)", gen, now);
    }
    return switch (o.trainer().phase()) {
      case RUNNING -> Conditions.set(c, type, ConditionStatus.TRUE, Reasons.RUNNING, "trainer pod running", gen,
          now);
      case SUCCEEDED -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_COMPLETED, "trainer exited", gen,
          now);
      case PENDING -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_PENDING, "trainer pod pending"
          + (o.trainer().message().isEmpty() ? "" : ": " + o.trainer().message()), gen, now);
      default -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_MISSING, "trainer pod not created yet",
          gen, now);
    };
  }
}
