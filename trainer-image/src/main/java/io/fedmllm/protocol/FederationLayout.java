package io.fedmllm.protocol;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.RoundManifest;
import java.util.regex.Pattern;

/**
 * Every object key of one federation, in one place. All keys live under the federation's prefix:
 *
 * <pre>
 * federation.json                                   FederationConfig        aggregator, If-None-Match
 * status.json                                       FederationProgress        aggregator, overwritten (a view)
 * outcome.json                                      FederationOutcome       aggregator, If-None-Match (generation 0)
 * base/weights-SHA.safetensors                      the shared base model   aggregator
 * base/base.json                                    BaseManifest            aggregator, If-None-Match
 * continuations/GGGGG/continuation.json             Continuation            aggregator, If-None-Match
 * continuations/GGGGG/outcome.json                  FederationOutcome       aggregator, If-None-Match (generation G)
 * genesis/{adapter,state}-SHA.safetensors           round 0's inputs        aggregator
 * rounds/NNNNN/plan.json                            RoundPlan               aggregator, If-None-Match
 * rounds/NNNNN/deadline-extension.json              DeadlineExtension       aggregator, If-None-Match
 * rounds/NNNNN/updates/CLIENT/update.json           UpdateManifest          trainer,    If-None-Match
 * rounds/NNNNN/updates/CLIENT/{weights,control}-SHA.safetensors             trainer
 * rounds/NNNNN/{global,state}-SHA.safetensors       round result            aggregator
 * rounds/NNNNN/round.json                           RoundManifest           aggregator, If-None-Match
 * clients/CLIENT/failure.json                       TrainerFailure          trainer,    overwritten (a view)
 * </pre>
 *
 * Data objects are content-addressed (the first 16 hex digits of their SHA-256 are part of the name), so a data
 * object named by a manifest is never overwritten with other bytes.
 */
public record FederationLayout(String prefix) {

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public FederationLayout {
    if (prefix == null || prefix.isBlank() || prefix.startsWith("/") || prefix.endsWith("/")) {
      throw new IllegalArgumentException("federation prefix must be non-empty without leading or trailing '/': '"
          + prefix + "'");
    }
  }

  /** Throws a one-line error unless {@code id} is a valid client id (letters, digits, '.', '_', '-'). */
  public static String requireClientId(String id) {
    if (id == null || !CLIENT_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("client id '" + id + "' must be 1-63 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  /** The prefix with a trailing '/', for the retain policy's delete. */
  public String root() {
    return prefix + "/";
  }

  public String federation() {
    return prefix + "/federation.json";
  }

  public String status() {
    return prefix + "/status.json";
  }

  /** Generation 0's outcome (the federation as first configured). */
  public String outcome() {
    return prefix + "/outcome.json";
  }

  /** The outcome of one generation: {@code outcome.json} for 0, the continuation's own for 1, 2, ... */
  public String outcome(int generation) {
    return generation == 0 ? outcome() : continuationDirectory(generation) + "/outcome.json";
  }

  /** The continuation manifest that starts generation {@code generation} (1, 2, ...). */
  public String continuation(int generation) {
    return continuationDirectory(generation) + "/continuation.json";
  }

  private String continuationDirectory(int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("continuations are numbered from 1, got " + generation);
    }
    return prefix + "/continuations/" + String.format("%05d", generation);
  }

  /** The manifest naming the federation's one base model. */
  public String base() {
    return prefix + "/base/base.json";
  }

  public String baseData(String sha256) {
    return prefix + "/base/" + dataName("weights", sha256);
  }

  public String genesis(String stem, String sha256) {
    return prefix + "/genesis/" + dataName(stem, sha256);
  }

  public String roundDirectory(int round) {
    return prefix + "/rounds/" + String.format("%05d", round);
  }

  public String plan(int round) {
    return roundDirectory(round) + "/plan.json";
  }

  public String deadlineExtension(int round) {
    return roundDirectory(round) + "/deadline-extension.json";
  }

  public String roundManifest(int round) {
    return roundDirectory(round) + "/round.json";
  }

  public String roundData(int round, String stem, String sha256) {
    return roundDirectory(round) + "/" + dataName(stem, sha256);
  }

  public String updateManifest(int round, String client) {
    return roundDirectory(round) + "/updates/" + requireClientId(client) + "/update.json";
  }

  public String updateData(int round, String client, String stem, String sha256) {
    return roundDirectory(round) + "/updates/" + requireClientId(client) + "/" + dataName(stem, sha256);
  }

  /** The failure record of one client's trainer, see {@link TrainerFailure}. */
  public String trainerFailure(String client) {
    return prefix + "/clients/" + requireClientId(client) + "/failure.json";
  }

  private static String dataName(String stem, String sha256) {
    return stem + "-" + sha256.substring(0, 16) + ".safetensors";
  }
}
