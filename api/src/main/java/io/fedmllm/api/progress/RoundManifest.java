package io.fedmllm.api.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The commit point of a round ({@code rounds/NNNNN/round.json}): which sampled clients were aggregated, rejected
 * (with reasons) or missing, the round's figures, and the new global adapter and server state by checksum. A round
 * counts as done exactly when this object exists.
 *
 * @param evaluation the new global adapter's score, or null when the federation does not evaluate
 * @param pool the members the round sampled from (ascending), as its plan records them; null in a round committed
 *     before rounds recorded their pool
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoundManifest(
    int round,
    List<String> sampled,
    List<String> accepted,
    List<RejectedUpdate> rejected,
    List<String> missing,
    double meanLoss,
    RoundMetric evaluation,
    double aggregationSeconds,
    double roundSeconds,
    ObjectRef global,
    ObjectRef serverState,
    List<String> pool) {

  public RoundManifest {
    sampled = sampled == null ? List.of() : List.copyOf(sampled);
    accepted = accepted == null ? List.of() : List.copyOf(accepted);
    rejected = rejected == null ? List.of() : List.copyOf(rejected);
    missing = missing == null ? List.of() : List.copyOf(missing);
    pool = pool == null ? null : List.copyOf(pool);
  }
}
