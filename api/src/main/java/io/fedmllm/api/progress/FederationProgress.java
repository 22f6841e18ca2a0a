package io.fedmllm.api.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The human- and operator-facing view of a federation ({@code status.json}): phase, progress, the zero-shot score
 * and every committed round's manifest. Only the aggregator writes it, overwriting it after each round; it is
 * derived from the manifests and never a commit point itself.
 *
 * @param totalRounds the rounds the current generation runs to
 * @param generation 0 for the federation as first configured, G for its G-th continuation
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FederationProgress(
    ProgressPhase phase,
    int roundsCommitted,
    int totalRounds,
    String message,
    RoundMetric zeroShot,
    List<RoundManifest> history,
    long updatedAtEpochMillis,
    int generation) {

  public FederationProgress {
    history = history == null ? List.of() : List.copyOf(history);
  }

  public boolean failed() {
    return phase == ProgressPhase.FAILED;
  }

  public boolean completed() {
    return phase == ProgressPhase.COMPLETED;
  }
}
