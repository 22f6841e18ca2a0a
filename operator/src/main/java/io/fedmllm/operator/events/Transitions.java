package io.fedmllm.operator.events;

import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.operator.status.ConditionTypes;
import io.fedmllm.operator.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The events a status change deserves: a pure comparison of old and new status, so events fire on transitions only. */
public final class Transitions {

  private Transitions() {}

  public static List<TransitionEvent> of(FederationStatus old, FederationStatus now) {
    FederationStatus before = old == null ? new FederationStatus() : old;
    List<TransitionEvent> events = new ArrayList<>();
    int was = before.getCompletedRounds() == null ? 0 : before.getCompletedRounds();
    int is = now.getCompletedRounds() == null ? 0 : now.getCompletedRounds();
    if (is > was) {
      String metric = now.getLastMetric() == null ? "" : ", " + now.getMetricName() + " " + now.getLastMetric();
      events.add(TransitionEvent.normal(TransitionEvent.ROUND_COMPLETED,
          (is - was == 1 ? "round " + is : "rounds " + (was + 1) + "-" + is) + " of " + now.getTotalRounds()
              + " committed" + metric));
    }
    if (before.getPhase() != now.getPhase()) {
      if (now.getPhase() == FederationPhase.SUCCEEDED) {
        String adapter = now.getLatestAdapter() == null ? "" : "; final adapter " + now.getLatestAdapter().getUri();
        events.add(TransitionEvent.normal(TransitionEvent.FEDERATION_SUCCEEDED,
            "completed " + now.getProgress() + " rounds" + adapter));
      } else if (now.getPhase() == FederationPhase.FAILED) {
        String message = Conditions.find(now.getConditions(), ConditionTypes.READY).map(c -> c.getMessage())
            .orElse("failed");
        events.add(TransitionEvent.warning(TransitionEvent.FEDERATION_FAILED, message));
      } else if (now.getPhase() == FederationPhase.SUSPENDED) {
        events.add(TransitionEvent.normal(TransitionEvent.FEDERATION_SUSPENDED,
            "pods removed at round " + now.getProgress()));
      } else if (before.getPhase() == FederationPhase.SUSPENDED) {
        events.add(TransitionEvent.normal(TransitionEvent.FEDERATION_RESUMED,
            "resuming after round " + now.getCompletedRounds()));
      }
    }
    boolean storageWasDown = Conditions.find(before.getConditions(), ConditionTypes.STORAGE_READY)
        .map(c -> c.getStatus() == ConditionStatus.FALSE).orElse(false);
    var storage = Conditions.find(now.getConditions(), ConditionTypes.STORAGE_READY);
    if (storage.isPresent() && storage.get().getStatus() == ConditionStatus.FALSE && !storageWasDown) {
      events.add(TransitionEvent.warning(TransitionEvent.STORAGE_UNREACHABLE, storage.get().getMessage()));
    }
    return events;
  }

  public static List<TransitionEvent> of(FederationClientStatus old, FederationClientStatus now) {
    FederationClientStatus before = old == null ? new FederationClientStatus() : old;
    List<TransitionEvent> events = new ArrayList<>();
    int was = before.getTrainerRestarts() == null ? 0 : before.getTrainerRestarts();
    int is = now.getTrainerRestarts() == null ? 0 : now.getTrainerRestarts();
    if (is > was) {
      String why = Conditions.find(now.getConditions(), ConditionTypes.TRAINER_READY).map(c -> c.getMessage())
          .orElse("trainer failed");
      events.add(TransitionEvent.warning(TransitionEvent.TRAINER_FAILED, why));
    }
    boolean found = Conditions.isTrue(now.getConditions(), ConditionTypes.FEDERATION_FOUND);
    boolean wasMissing = Conditions.find(before.getConditions(), ConditionTypes.FEDERATION_FOUND)
        .map(c -> c.getStatus() == ConditionStatus.FALSE).orElse(false);
    if (!found && !wasMissing) {
      events.add(TransitionEvent.warning(TransitionEvent.FEDERATION_NOT_FOUND,
          Conditions.find(now.getConditions(), ConditionTypes.FEDERATION_FOUND).map(c -> c.getMessage()).orElse("")));
    }
    if (now.getLastRejection() != null && !Objects.equals(now.getLastRejection(), before.getLastRejection())) {
      events.add(TransitionEvent.warning(TransitionEvent.UPDATE_REJECTED, now.getLastRejection()));
    }
    return events;
  }
}
