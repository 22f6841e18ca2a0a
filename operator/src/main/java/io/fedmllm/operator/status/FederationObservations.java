package io.fedmllm.operator.status;

import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.operator.storage.StorageLocation;
import io.fedmllm.operator.storage.StorageReading;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a Federation's new status is computed from, gathered before anything is changed.
 *
 * @param clientsReady clients whose trainer pod runs
 * @param location empty when the spec has no storage
 */
public record FederationObservations(
    long generation,
    int specRounds,
    boolean suspend,
    int minClients,
    TaskType task,
    Optional<StorageLocation> location,
    StorageReading storage,
    PodState aggregator,
    int clientsTotal,
    int clientsReady,
    Instant now) {

  /** The metric a task is scored by, as the engine names it. */
  public String metricName() {
    return switch (task == null ? TaskType.HATEFUL : task) {
      case HATEFUL -> "roc_auc";
      case CRISIS -> "macro_f1";
      case VQA -> "accuracy";
    };
  }
}
