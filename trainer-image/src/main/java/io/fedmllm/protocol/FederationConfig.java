package io.fedmllm.protocol;

import io.fedmllm.data.Task;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ServerStrategies;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the aggregator and all trainers of one federation must agree on. The aggregator publishes it as
 * {@code federation.json}; trainers read their training settings from there, and a restarted aggregator refuses to
 * continue a prefix that holds a different configuration.
 *
 * @param model model preset or config the base comes from, e.g. {@code tiny}
 * @param clients every client id of the federation; sorted, unique
 * @param clientsPerRound clients sampled per round (all when it is at least the number of clients)
 * @param minClients the quorum: accepted updates a round needs to be aggregated
 * @param roundDeadlineMillis how long a round waits for its updates after the plan is published
 * @param serverStrategy a name known to {@link ServerStrategies}
 */
public record FederationConfig(
    String model,
    Task task,
    List<String> clients,
    int rounds,
    int clientsPerRound,
    int minClients,
    long roundDeadlineMillis,
    long seed,
    CosineSchedule schedule,
    TrainingConfig training,
    LoraConfig lora,
    ClientStrategy clientStrategy,
    String serverStrategy,
    Map<String, Double> serverParameters) {

  public FederationConfig {
    clients = List.copyOf(clients);
    serverParameters = serverParameters == null ? Map.of() : new TreeMap<>(serverParameters);
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("federation: clients must not be empty");
    }
    clients.forEach(FederationLayout::requireClientId);
    if (new HashSet<>(clients).size() != clients.size() || !clients.equals(clients.stream().sorted().toList())) {
      throw new IllegalArgumentException("federation: client ids must be unique and sorted, got " + clients);
    }
    if (rounds <= 0) {
      throw new IllegalArgumentException("federation: rounds must be positive, got " + rounds);
    }
    if (clientsPerRound <= 0) {
      throw new IllegalArgumentException("federation: clientsPerRound must be positive, got " + clientsPerRound);
    }
    if (minClients < 1 || minClients > Math.min(clientsPerRound, clients.size())) {
      throw new IllegalArgumentException("federation: minClients must be in [1, " + Math.min(clientsPerRound,
          clients.size()) + "], got " + minClients);
    }
    if (roundDeadlineMillis <= 0) {
      throw new IllegalArgumentException("federation: roundDeadline must be positive");
    }
    if (schedule.totalRounds() != rounds) {
      throw new IllegalArgumentException("federation: the learning-rate schedule covers " + schedule.totalRounds()
          + " rounds, the federation has " + rounds);
    }
    createServerStrategy(serverStrategy, serverParameters);
  }

  /** The configured server strategy (validated at construction). */
  public ServerStrategy createServerStrategy() {
    return createServerStrategy(serverStrategy, serverParameters);
  }

  private static ServerStrategy createServerStrategy(String name, Map<String, Double> params) {
    return ServerStrategies.create(name, params);
  }

  public ClientSampler sampler() {
    return new ClientSampler(clientsPerRound, seed);
  }

  /** The client's position in {@link #clients()}: part of its per-round training seed. */
  public int clientIndex(String client) {
    int i = clients.indexOf(client);
    if (i < 0) {
      throw new IllegalArgumentException("client '" + client + "' is not part of this federation (clients: "
          + clients + ")");
    }
    return i;
  }

  /** The seed of one client's local training in one round (the same formula as the in-process simulation). */
  public long trainingSeed(int round, String client) {
    return seed * 7919L + round * 131L + clientIndex(client);
  }
}
