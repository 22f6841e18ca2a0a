package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;
import java.util.List;

/**
 * What the aggregator asks of one round, committed as {@code rounds/NNNNN/plan.json} before any trainer may start it:
 * the pool of members it sampled from and the sampled clients (both ascending), the deadline for their updates, the
 * learning rate every client uses, and the global adapter and server state the round starts from.
 *
 * @param pool the federation's members when the round was planned; a client's position in it is part of its
 *     training seed. Null in a plan written before membership could change: that round sampled from the
 *     configuration's clients ({@link #withPoolDefault})
 */
public record RoundPlan(
    int round,
    List<String> clients,
    long deadlineEpochMillis,
    double learningRate,
    ObjectRef global,
    ObjectRef serverState,
    List<String> pool) {

  public RoundPlan {
    clients = List.copyOf(clients);
    pool = pool == null ? null : List.copyOf(pool);
    if (pool != null && !pool.containsAll(clients)) {
      throw new IllegalArgumentException("plan of round " + round + ": sampled clients " + clients
          + " are not all in its pool " + pool);
    }
  }

  /** This plan, with {@code clients} as its pool when it records none (a plan written before the pool was). */
  public RoundPlan withPoolDefault(List<String> clients) {
    return pool != null ? this : new RoundPlan(round, this.clients, deadlineEpochMillis, learningRate, global,
        serverState, clients);
  }

  /**
   * The client's position in the pool: part of its training seed in this round.
   *
   * @throws IllegalArgumentException when the client is not in the pool
   */
  public int clientIndex(String client) {
    int i = pool == null ? -1 : pool.indexOf(client);
    if (i < 0) {
      throw new IllegalArgumentException("client '" + client + "' is not in the pool of round " + round + " ("
          + pool + ")");
    }
    return i;
  }
}
