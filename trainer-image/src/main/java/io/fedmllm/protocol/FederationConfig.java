package io.fedmllm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.data.Task;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.FederatedClient;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

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
 * @param serverStrategy the server strategy with its resolved parameters; SCAFFOLD's client count is the number of
 *     {@code clients}. Stored as an object ({@code {"name": "fedadam", "eta": ...}}); a {@code federation.json}
 *     written before holds the name as a string and the parameters the spec set in {@code serverParameters}, and is
 *     read as the same configuration (absent parameters resolved to the same defaults)
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
    ServerStrategyConfig serverStrategy) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public FederationConfig {
    clients = List.copyOf(clients);
    if (serverStrategy == null) {
      throw new IllegalArgumentException("federation: serverStrategy is missing");
    }
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
    serverStrategy.create(clients.size());
  }

  /**
   * Reads both forms of {@code federation.json}: {@code serverStrategy} as an object, or (files written before the
   * typed configuration) as a name with the parameters in {@code serverParameters}.
   */
  @JsonCreator
  static FederationConfig fromJson(
      @JsonProperty("model") String model,
      @JsonProperty("task") Task task,
      @JsonProperty("clients") List<String> clients,
      @JsonProperty("rounds") int rounds,
      @JsonProperty("clientsPerRound") int clientsPerRound,
      @JsonProperty("minClients") int minClients,
      @JsonProperty("roundDeadlineMillis") long roundDeadlineMillis,
      @JsonProperty("seed") long seed,
      @JsonProperty("schedule") CosineSchedule schedule,
      @JsonProperty("training") TrainingConfig training,
      @JsonProperty("lora") LoraConfig lora,
      @JsonProperty("clientStrategy") ClientStrategy clientStrategy,
      @JsonProperty("serverStrategy") JsonNode serverStrategy,
      @JsonProperty("serverParameters") Map<String, Double> legacyServerParameters) {
    return new FederationConfig(model, task, clients, rounds, clientsPerRound, minClients, roundDeadlineMillis, seed,
        schedule, training, lora, clientStrategy, serverStrategy(serverStrategy, legacyServerParameters));
  }

  private static ServerStrategyConfig serverStrategy(JsonNode node, Map<String, Double> legacyParameters) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("federation: serverStrategy is missing");
    }
    if (node.isTextual()) {
      try {
        return ServerStrategyConfig.of(node.asText(), legacyParameters == null ? Map.of() : legacyParameters);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("federation: serverParameters." + e.getMessage(), e);
      }
    }
    if (legacyParameters != null) {
      throw new IllegalArgumentException("federation: serverParameters is only read with a serverStrategy name; "
          + "the parameters belong in the serverStrategy object");
    }
    try {
      return JSON.treeToValue(node, ServerStrategyConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("federation: serverStrategy: " + e.getOriginalMessage(), e);
    }
  }

  /** The configured server strategy (checked at construction) for this federation's clients. */
  public ServerStrategy createServerStrategy() {
    return serverStrategy.create(clients.size());
  }

  public ClientSampler sampler() {
    return new ClientSampler(clientsPerRound, seed);
  }

  /** The client's position in {@link #clients()}: part of its per-round training seed, see {@link FederatedClient}. */
  public int clientIndex(String client) {
    int i = clients.indexOf(client);
    if (i < 0) {
      throw new IllegalArgumentException("client '" + client + "' is not part of this federation (clients: "
          + clients + ")");
    }
    return i;
  }

}
