package io.fedmllm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a requested configuration relates to the one a federation runs under (its newest generation's): the same, a
 * raise of {@code rounds} (a continuation; {@code roundDeadline} and {@code minClients} may change along with it, as
 * they only bound future waits), a lowering (refused: committed rounds are immutable and a running generation keeps
 * its total), or a different federation (any other field: model, task, the sampling rule, seed, the schedule's
 * shape, training, LoRA, strategies or the updates' transfer dtype would make the committed rounds and the server state mean something else).
 * The clients are not compared: membership may change between rounds, and each round's plan records its pool.
 */
public record ConfigChange(Kind kind, List<String> differences) {

  /** The four cases. */
  public enum Kind {
    SAME,
    RAISE,
    LOWER,
    INCOMPATIBLE
  }

  public ConfigChange {
    differences = List.copyOf(differences);
  }

  /** Compares {@code requested} with {@code stored}; {@code differences} names the fields that differ. */
  public static ConfigChange between(FederationConfig stored, FederationConfig requested) {
    List<String> fixed = new ArrayList<>();
    diff(fixed, "model", stored.model(), requested.model());
    diff(fixed, "task", stored.task(), requested.task());
    if (!sameSampling(stored, requested)) {
      fixed.add("clientsPerRound");
    }
    diff(fixed, "seed", stored.seed(), requested.seed());
    diff(fixed, "schedule.peak", stored.schedule().peak(), requested.schedule().peak());
    diff(fixed, "schedule.warmupFraction", stored.schedule().warmupFraction(),
        requested.schedule().warmupFraction());
    diff(fixed, "schedule.minRatio", stored.schedule().minRatio(), requested.schedule().minRatio());
    diff(fixed, "training", stored.training(), requested.training());
    diff(fixed, "lora", stored.lora(), requested.lora());
    diff(fixed, "clientStrategy", stored.clientStrategy(), requested.clientStrategy());
    diff(fixed, "serverStrategy", stored.serverStrategy(), requested.serverStrategy());
    diff(fixed, "adapter.transferDtype", stored.transferDtype(), requested.transferDtype());
    diff(fixed, "model.baseDtype", stored.baseDtype(), requested.baseDtype());
    List<String> operational = new ArrayList<>();
    diff(operational, "roundDeadline", stored.roundDeadlineMillis(), requested.roundDeadlineMillis());
    diff(operational, "minClients", stored.minClients(), requested.minClients());
    if (!fixed.isEmpty()) {
      fixed.addAll(operational);
      if (stored.rounds() != requested.rounds()) {
        fixed.add("rounds");
      }
      return new ConfigChange(Kind.INCOMPATIBLE, fixed);
    }
    if (requested.rounds() < stored.rounds()) {
      return new ConfigChange(Kind.LOWER, List.of("rounds"));
    }
    if (requested.rounds() == stored.rounds()) {
      return operational.isEmpty() ? new ConfigChange(Kind.SAME, List.of())
          : new ConfigChange(Kind.INCOMPATIBLE, operational);
    }
    operational.add(0, "rounds");
    return new ConfigChange(Kind.RAISE, operational);
  }

  /**
   * The same sampling rule. A {@code federation.json} written before the rule was stored holds the count it
   * resolved for its clients (no fraction, a positive count): it matches a request that resolves to the same count
   * for those clients.
   */
  private static boolean sameSampling(FederationConfig stored, FederationConfig requested) {
    if (stored.clientsPerRound() == requested.clientsPerRound()
        && Objects.equals(stored.clientFraction(), requested.clientFraction())) {
      return true;
    }
    int n = stored.clients().size();
    return stored.clientFraction() == null && stored.clientsPerRound() > 0 && n > 0
        && stored.clientsPerRound() == requested.perRound(n);
  }

  private static void diff(List<String> out, String field, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(field);
    }
  }
}
