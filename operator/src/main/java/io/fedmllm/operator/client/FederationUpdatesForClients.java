package io.fedmllm.operator.client;

import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a Federation reach the reconciles of its clients: only those that can change what a client's
 * reconcile derives from it. That reconcile reads of its Federation the spec (suspend, storage, and for the trainer
 * pod rounds, images, resources, model checkpoint and scheduling: all covered by metadata.generation, which the API
 * server bumps on every spec change and never on status or metadata-only edits), status.phase, and, through
 * {@link io.fedmllm.operator.storage.ProgressRegistry}, the storage snapshot the Federation's reconcile stored before
 * writing its status: the client's rounds participated, last round and last rejection come from its committed
 * rounds, which change only with status.completedRounds, and the first snapshot (rounds participated 0) arrives with
 * status.currentRound going from 0 to 1. Its labels, annotations, finalizers and owner references are not read; a
 * deletion passes anyway (its delete event, unfiltered, follows the cleanup).
 *
 * <p>What is dropped: a Federation's status also changes with every client that joins or whose trainer starts
 * (clientsReady, the ClientsReady condition's message) and with its own aggregator and storage conditions; without
 * this filter each such write reconciled every client of the federation again.
 */
public final class FederationUpdatesForClients implements OnUpdateFilter<Federation> {

  @Override
  public boolean accept(Federation newer, Federation older) {
    FederationStatus now = newer.getStatus();
    FederationStatus before = older.getStatus();
    return !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(newer.getMetadata().getDeletionTimestamp(), older.getMetadata().getDeletionTimestamp())
        || !Objects.equals(now == null ? null : now.getPhase(), before == null ? null : before.getPhase())
        || !Objects.equals(now == null ? null : now.getCompletedRounds(),
            before == null ? null : before.getCompletedRounds())
        || !Objects.equals(now == null ? null : now.getCurrentRound(),
            before == null ? null : before.getCurrentRound());
  }
}
