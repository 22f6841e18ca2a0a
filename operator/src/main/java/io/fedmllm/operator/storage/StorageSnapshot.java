package io.fedmllm.operator.storage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The aggregator's {@code status.json} as the operator reads it: the subset of the protocol's FederationStatus the CR
 * status mirrors, read tolerantly (unknown fields ignored) so the operator does not depend on the engine's classes.
 * Rounds are 0-based here, as in storage.
 *
 * @param totalRounds the rounds the federation in storage runs to (its newest generation's); a spec with fewer
 *     cannot be honoured, one with more asks the aggregator for a continuation
 * @param generation 0 as first configured, G after G continuations (absent in older files: 0)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StorageSnapshot(
    String phase, int roundsCommitted, int totalRounds, String message, List<Round> history,
    long updatedAtEpochMillis, int generation) {

  public static final String RUNNING = "RUNNING";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";

  @JsonCreator
  public StorageSnapshot {
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** A snapshot of generation 0 (as the aggregator wrote it before any continuation). */
  public StorageSnapshot(String phase, int roundsCommitted, int totalRounds, String message, List<Round> history,
      long updatedAtEpochMillis) {
    this(phase, roundsCommitted, totalRounds, message, history, updatedAtEpochMillis, 0);
  }

  /** One committed round ({@code round.json}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Round(
      int round, List<String> sampled, List<String> accepted, List<Rejection> rejected, List<String> missing,
      double meanLoss, Metric evaluation, Ref global) {

    public Round {
      sampled = sampled == null ? List.of() : List.copyOf(sampled);
      accepted = accepted == null ? List.of() : List.copyOf(accepted);
      rejected = rejected == null ? List.of() : List.copyOf(rejected);
      missing = missing == null ? List.of() : List.copyOf(missing);
    }
  }

  /** An update the aggregator rejected. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rejection(String client, String reason, String message) {}

  /** The new global adapter's score. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Metric(String metricName, double metric) {}

  /** A data object named by a manifest. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Ref(String key, String sha256, long size) {}

  public boolean failed() {
    return FAILED.equals(phase);
  }

  public boolean completed() {
    return COMPLETED.equals(phase);
  }
}
