package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;
import java.util.List;

/**
 * What the aggregator asks of one round, committed as {@code rounds/NNNNN/plan.json} before any trainer may start it:
 * the sampled clients (ascending), the deadline for their updates, the learning rate every client uses, and the
 * global adapter and server state the round starts from.
 */
public record RoundPlan(
    int round,
    List<String> clients,
    long deadlineEpochMillis,
    double learningRate,
    ObjectRef global,
    ObjectRef serverState) {

  public RoundPlan {
    clients = List.copyOf(clients);
  }
}
