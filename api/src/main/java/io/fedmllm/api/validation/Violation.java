package io.fedmllm.api.validation;

/**
 * One broken rule.
 *
 * @param resource which resource it is about: {@link #SPEC} for the spec that was validated (or the Federation in a
 *     membership check), otherwise the index of the FederationClient in the list that was checked
 * @param path the field, e.g. {@code spec.training.localSteps}; {@code spec} for a rule over a whole object
 * @param message what is wrong, in words a user can act on
 */
public record Violation(int resource, String path, String message) {

  /** {@link #resource} of the validated spec itself, or of the Federation in a membership check. */
  public static final int SPEC = -1;

  static Violation of(String path, String message) {
    return new Violation(SPEC, path, message);
  }

  static Violation ofClient(int client, String path, String message) {
    return new Violation(client, path, message);
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
