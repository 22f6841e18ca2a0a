package io.fedmllm.operator.status;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.v1alpha1.AdapterReference;
import io.fedmllm.api.v1alpha1.Condition;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.api.v1alpha1.RoundSummary;
import io.fedmllm.operator.storage.StorageReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure status function of a Federation: old status + observations -> new status. Progress comes from the storage
 * snapshot (kept from the old status while storage is unreachable); the phase is derived; conditions keep their
 * lastTransitionTime unless they flip; the history holds the last {@code historySize} rounds.
 *
 * <p>Continuation: a Succeeded federation whose spec.rounds is raised above the committed rounds is no longer
 * Succeeded (its pods are wanted again, and the aggregator continues it) until storage reports the raised total
 * completed. A Failed one stays Failed. A spec.rounds below the rounds the federation in storage runs to cannot be
 * honoured (the aggregator refuses it): Ready is False with reason {@code RoundsLowered}.
 *
 * <p>Membership: each round of the history shows the size of the pool it sampled from and who joined or left it
 * since the round before (clients may join and leave a running federation).
 */
public final class FederationStatusBuilder {

  private final int historySize;

  public FederationStatusBuilder(int historySize) {
    this.historySize = historySize;
  }

  public FederationStatus build(FederationStatus old, FederationObservations o) {
    FederationStatus previous = old == null ? new FederationStatus() : old;
    FederationStatus s = new FederationStatus();
    s.setObservedGeneration(o.generation());
    s.setTotalRounds(o.specRounds());
    s.setMetricName(o.metricName());
    s.setClientsReady(o.clientsReady());
    progress(previous, o, s);
    s.setProgress(s.getCompletedRounds() + "/" + o.specRounds());
    s.setPhase(phase(previous, o, s));
    s.setConditions(conditions(previous.getConditions(), o, s));
    return s;
  }

  /** Whether pods should exist for a federation in {@code phase}: not when it is suspended or finished. */
  public static boolean wantsPods(FederationPhase phase) {
    return phase != FederationPhase.SUSPENDED && phase != FederationPhase.SUCCEEDED && phase != FederationPhase.FAILED;
  }

  private void progress(FederationStatus previous, FederationObservations o, FederationStatus s) {
    if (!(o.storage() instanceof StorageReading.Snapshot snap)) {
      s.setCompletedRounds(orZero(previous.getCompletedRounds()));
      s.setCurrentRound(orZero(previous.getCurrentRound()));
      s.setClientsParticipating(previous.getClientsParticipating());
      s.setLastMetric(previous.getLastMetric());
      s.setLatestAdapter(previous.getLatestAdapter());
      s.setHistory(previous.getHistory());
      return;
    }
    FederationProgress snapshot = snap.snapshot();
    int done = snapshot.roundsCommitted();
    s.setCompletedRounds(done);
    s.setCurrentRound(done >= o.specRounds() ? done : done + 1);
    List<RoundManifest> rounds = snapshot.history();
    if (rounds.isEmpty()) {
      s.setHistory(previous.getHistory());
      return;
    }
    RoundManifest last = rounds.get(rounds.size() - 1);
    s.setClientsParticipating(last.accepted().size());
    if (last.evaluation() != null) {
      s.setLastMetric(last.evaluation().metric());
      if (last.evaluation().metricName() != null) {
        s.setMetricName(last.evaluation().metricName());
      }
    } else {
      s.setLastMetric(previous.getLastMetric());
    }
    if (last.global() != null && o.location().isPresent()) {
      AdapterReference adapter = new AdapterReference();
      adapter.setUri(o.location().get().uri(last.global().key()));
      adapter.setRound(last.round() + 1);
      adapter.setSha256(last.global().sha256());
      s.setLatestAdapter(adapter);
    }
    s.setHistory(history(previous.getHistory(), rounds, snapshot.updatedAtEpochMillis()));
  }

  private List<RoundSummary> history(List<RoundSummary> old, List<RoundManifest> rounds, long updatedAt) {
    Map<Integer, String> completionTimes = new HashMap<>();
    if (old != null) {
      old.forEach(r -> completionTimes.put(r.getRound(), r.getCompletionTime()));
    }
    int from = Math.max(0, rounds.size() - historySize);
    List<RoundSummary> out = new ArrayList<>();
    for (int i = from; i < rounds.size(); i++) {
      RoundManifest r = rounds.get(i);
      RoundSummary summary = new RoundSummary();
      summary.setRound(r.round() + 1);
      summary.setClients(r.accepted().size());
      List<String> missing = new ArrayList<>(r.missing());
      r.rejected().forEach(x -> missing.add(x.client()));
      summary.setMissingClients(missing.isEmpty() ? null : missing.stream().sorted().toList());
      if (r.pool() != null) {
        summary.setPoolSize(r.pool().size());
        List<String> before = i > 0 ? rounds.get(i - 1).pool() : null;
        if (before != null) {
          List<String> joined = r.pool().stream().filter(c -> !before.contains(c)).toList();
          List<String> left = before.stream().filter(c -> !r.pool().contains(c)).toList();
          summary.setJoinedClients(joined.isEmpty() ? null : joined);
          summary.setLeftClients(left.isEmpty() ? null : left);
        }
      }
      summary.setMeanLoss(r.meanLoss());
      summary.setMetric(r.evaluation() == null ? null : r.evaluation().metric());
      String known = completionTimes.get(r.round() + 1);
      boolean newest = i == rounds.size() - 1;
      summary.setCompletionTime(known != null ? known
          : newest && updatedAt > 0 ? Conditions.format(Instant.ofEpochMilli(updatedAt)) : null);
      out.add(summary);
    }
    return out;
  }

  private static FederationPhase phase(FederationStatus previous, FederationObservations o, FederationStatus s) {
    if (o.storage() instanceof StorageReading.NotConfigured) {
      return FederationPhase.PENDING;
    }
    if (o.storage() instanceof StorageReading.Snapshot snap) {
      if (snap.snapshot().failed()) {
        return FederationPhase.FAILED;
      }
      if (snap.snapshot().completed() && s.getCompletedRounds() >= o.specRounds()) {
        return FederationPhase.SUCCEEDED;
      }
    } else if (previous.getPhase() == FederationPhase.FAILED
        || previous.getPhase() == FederationPhase.SUCCEEDED && s.getCompletedRounds() >= o.specRounds()) {
      return previous.getPhase();
    }
    if (o.suspend()) {
      return FederationPhase.SUSPENDED;
    }
    return o.aggregator().phase() == PodState.Phase.RUNNING ? FederationPhase.RUNNING : FederationPhase.PENDING;
  }

  private List<Condition> conditions(List<Condition> old, FederationObservations o, FederationStatus s) {
    long gen = o.generation();
    Instant now = o.now();
    List<Condition> c = old;
    c = storageCondition(c, o, gen, now);
    c = aggregatorCondition(c, o, s.getPhase(), gen, now);
    c = clientsCondition(c, o, gen, now);
    c = readyCondition(c, o, s, gen, now);
    return c;
  }

  private static List<Condition> storageCondition(List<Condition> c, FederationObservations o, long gen,
      Instant now) {
    String type = ConditionTypes.STORAGE_READY;
    StorageReading r = o.storage();
    if (r instanceof StorageReading.NotConfigured) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.NOT_CONFIGURED,
          "spec.storage is required on a cluster", gen, now);
    }
    if (r instanceof StorageReading.NotStarted) {
      return Conditions.set(c, type, ConditionStatus.TRUE, Reasons.NOT_STARTED,
          "storage reachable; the aggregator has not written status.json yet", gen, now);
    }
    if (r instanceof StorageReading.Unreachable u) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.UNREACHABLE, u.message(), gen, now);
    }
    return Conditions.set(c, type, ConditionStatus.TRUE, Reasons.STATUS_READ, "status.json read", gen, now);
  }

  private static List<Condition> aggregatorCondition(List<Condition> c, FederationObservations o,
      FederationPhase phase, long gen, Instant now) {
    String type = ConditionTypes.AGGREGATOR_READY;
    if (phase == FederationPhase.SUSPENDED) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.SUSPENDED, "suspended: pod removed", gen, now);
    }
    if (phase == FederationPhase.SUCCEEDED || phase == FederationPhase.FAILED) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.FINISHED, "federation finished: pod removed",
          gen, now);
    }
    return switch (o.aggregator().phase()) {
      case RUNNING -> Conditions.set(c, type, ConditionStatus.TRUE, Reasons.RUNNING, "aggregator pod running",
          gen, now);
      case ABSENT, TERMINATING -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_MISSING,
          "aggregator pod not created yet", gen, now);
      case PENDING -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_PENDING,
          "aggregator pod pending" + suffix(o.aggregator().message()), gen, now);
      case FAILED -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_FAILED,
          "aggregator pod failed" + suffix(o.aggregator().message()), gen, now);
      case SUCCEEDED -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.POD_COMPLETED,
          "aggregator exited", gen, now);
    };
  }

  private static List<Condition> clientsCondition(List<Condition> c, FederationObservations o, long gen,
      Instant now) {
    String type = ConditionTypes.CLIENTS_READY;
    if (o.clientsTotal() == 0) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.NO_CLIENTS, "no FederationClient refers to it",
          gen, now);
    }
    String message = o.clientsReady() + " of " + o.clientsTotal() + " trainers running (quorum " + o.minClients()
        + ")";
    return o.clientsReady() >= o.clientsTotal()
        ? Conditions.set(c, type, ConditionStatus.TRUE, Reasons.ALL_TRAINERS_RUNNING, message, gen, now)
        : Conditions.set(c, type, ConditionStatus.FALSE, Reasons.TRAINERS_NOT_READY, message, gen, now);
  }

  private static List<Condition> readyCondition(List<Condition> c, FederationObservations o, FederationStatus s,
      long gen, Instant now) {
    String type = ConditionTypes.READY;
    String progress = "round " + s.getProgress();
    Optional<String> lowered = roundsLowered(o);
    if (lowered.isPresent() && s.getPhase() != FederationPhase.FAILED) {
      return Conditions.set(c, type, ConditionStatus.FALSE, Reasons.ROUNDS_LOWERED, lowered.get(), gen, now);
    }
    return switch (s.getPhase()) {
      case SUCCEEDED -> Conditions.set(c, type, ConditionStatus.TRUE, Reasons.SUCCEEDED,
          "completed " + s.getProgress() + " rounds", gen, now);
      case FAILED -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.FAILED, failure(o), gen, now);
      case SUSPENDED -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.SUSPENDED,
          "suspended at " + progress, gen, now);
      case RUNNING -> Conditions.isTrue(c, ConditionTypes.STORAGE_READY) && o.clientsReady() >= o.minClients()
          ? Conditions.set(c, type, ConditionStatus.TRUE, Reasons.RUNNING, progress, gen, now)
          : Conditions.set(c, type, ConditionStatus.FALSE, Reasons.PROGRESSING,
              progress + ": waiting for storage or a quorum of trainers", gen, now);
      case PENDING -> Conditions.set(c, type, ConditionStatus.FALSE, Reasons.PROGRESSING,
          continuing(o).map(m -> m + ": ").orElse("") + "waiting for the aggregator"
              + (o.storage() instanceof StorageReading.NotConfigured ? " (spec.storage is not set)" : ""), gen, now);
    };
  }

  /**
   * Why spec.rounds cannot be honoured: it is below the rounds the federation in storage runs to (committed rounds
   * are immutable and a running federation keeps its total); empty when it is not, or storage was not read.
   */
  public static Optional<String> roundsLowered(FederationObservations o) {
    if (o.storage() instanceof StorageReading.Snapshot snap && o.specRounds() < snap.snapshot().totalRounds()) {
      FederationProgress storage = snap.snapshot();
      return Optional.of("spec.rounds " + o.specRounds() + " is below the " + storage.totalRounds()
          + " rounds of the federation in storage (" + storage.roundsCommitted() + " committed); rounds can only be"
          + " raised");
    }
    return Optional.empty();
  }

  /** "continuing after round 5 to 8 rounds" while storage still shows a completed federation with fewer rounds. */
  private static Optional<String> continuing(FederationObservations o) {
    if (o.storage() instanceof StorageReading.Snapshot snap && snap.snapshot().completed()
        && snap.snapshot().roundsCommitted() < o.specRounds()) {
      return Optional.of("continuing after round " + snap.snapshot().roundsCommitted() + " to " + o.specRounds()
          + " rounds");
    }
    return Optional.empty();
  }

  private static String failure(FederationObservations o) {
    if (o.storage() instanceof StorageReading.Snapshot snap && snap.snapshot().message() != null) {
      String raised = o.specRounds() > snap.snapshot().totalRounds()
          ? "; raising spec.rounds does not continue a failed federation" : "";
      return snap.snapshot().message() + raised;
    }
    return "federation failed";
  }

  private static String suffix(String message) {
    return message == null || message.isEmpty() ? "" : ": " + message;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
