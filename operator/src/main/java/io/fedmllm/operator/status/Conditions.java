package io.fedmllm.operator.status;

import io.fedmllm.api.v1alpha1.Condition;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition lists as in metav1.Condition: setting a condition keeps its lastTransitionTime unless its status flips.
 */
public final class Conditions {

  private Conditions() {}

  /** A copy of {@code conditions} with {@code type} set; order of first appearance is kept. */
  public static List<Condition> set(List<Condition> conditions, String type, ConditionStatus status, String reason,
      String message, long generation, Instant now) {
    List<Condition> out = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      if (type.equals(c.getType())) {
        out.add(make(type, status, reason, message, generation,
            c.getStatus() == status && c.getLastTransitionTime() != null ? c.getLastTransitionTime() : format(now)));
        replaced = true;
      } else {
        out.add(copy(c));
      }
    }
    if (!replaced) {
      out.add(make(type, status, reason, message, generation, format(now)));
    }
    return out;
  }

  /** The condition of {@code type}, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether {@code type} is present with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> c.getStatus() == ConditionStatus.TRUE).orElse(false);
  }

  /** RFC 3339 with second precision, like the API server. */
  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Condition make(String type, ConditionStatus status, String reason, String message, long generation,
      String transition) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(generation);
    c.setLastTransitionTime(transition);
    return c;
  }

  private static Condition copy(Condition c) {
    return make(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
        Objects.requireNonNullElse(c.getObservedGeneration(), 0L), c.getLastTransitionTime());
  }
}
