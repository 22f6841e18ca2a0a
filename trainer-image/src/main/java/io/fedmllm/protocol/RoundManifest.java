package io.fedmllm.protocol;

import java.util.List;

/**
 * The commit point of a round ({@code rounds/NNNNN/round.json}): which sampled clients were aggregated, rejected
 * (with reasons) or missing, the round's figures, and the new global adapter and server state by checksum. A round
 * counts as done exactly when this object exists.
 *
 * @param evaluation the new global adapter's score, or null when the federation does not evaluate
 */
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
    ObjectRef serverState) {

  public RoundManifest {
    sampled = List.copyOf(sampled);
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
    missing = List.copyOf(missing);
  }
}
