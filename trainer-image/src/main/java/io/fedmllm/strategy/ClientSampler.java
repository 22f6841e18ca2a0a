package io.fedmllm.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Picks the clients of each round: a fixed count (or all), drawn without replacement from a generator seeded by the
 * federation seed and the round number, so the plan of round r is the same after a restart.
 */
public record ClientSampler(int perRound, long seed) {

  public ClientSampler {
    if (perRound <= 0) {
      throw new IllegalArgumentException("clientsPerRound must be positive, got " + perRound);
    }
  }

  /** From a fraction of {@code total} clients, at least one. */
  public static ClientSampler fraction(double fraction, int total, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
    }
    return new ClientSampler(Math.max(1, (int) Math.round(fraction * total)), seed);
  }

  /** The sampled client ids of {@code round}, in ascending order. */
  public List<String> sample(List<String> clientIds, int round) {
    List<String> sorted = new ArrayList<>(clientIds);
    Collections.sort(sorted);
    if (perRound >= sorted.size()) {
      return sorted;
    }
    Random random = new Random(seed * 1_000_003L + round);
    Collections.shuffle(sorted, random);
    List<String> chosen = new ArrayList<>(sorted.subList(0, perRound));
    Collections.sort(chosen);
    return chosen;
  }
}
