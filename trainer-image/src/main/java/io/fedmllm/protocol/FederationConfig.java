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
 * @param clients the members when this configuration was written (sorted, unique, possibly none yet). Membership
 *     may change between rounds ({@link Membership}); each round's plan records the pool it sampled from, and a plan
 *     written before plans did so sampled from these. Not compared by {@link ConfigChange}
 * @param clientsPerRound at most this many members are sampled per round; 0 samples every member (or, with
 *     {@code clientFraction}, that fraction of them). A {@code federation.json} written before the sampling rule was
 *     stored holds the count it resolved for its clients
 * @param clientFraction the fraction of the round's members sampled (at least one), or null
 * @param minClients the quorum: accepted updates a round needs to be aggregated
 * @param roundDeadlineMillis how long a round waits for its updates after the plan is published
 * @param serverStrategy the server strategy with its resolved parameters; SCAFFOLD's client count is the number of
 *     round's pool. Stored as an object ({@code {"name": "fedadam", "eta": ...}}); a {@code federation.json}
 *     written before holds the name as a string and the parameters the spec set in {@code serverParameters}, and is
 *     read as the same configuration (absent parameters resolved to the same defaults)
 * @param transferDtype the element type trainers upload their updates in ({@code float32} unless the spec asks for
 *     {@code float16}); a {@code federation.json} written before the choice existed has none and reads as float32
 * @param baseDtype the element type a checkpoint's frozen weights are held in (float32 unless the spec asks for
 *     float16); absent in older files, read as float32
 */
public record FederationConfig(
    String model,
    Task task,
    List<String> clients,
    int rounds,
    int clientsPerRound,
    Double clientFraction,
    int minClients,
    long roundDeadlineMillis,
    long seed,
    CosineSchedule schedule,
    TrainingConfig training,
    LoraConfig lora,
    ClientStrategy clientStrategy,
    ServerStrategyConfig serverStrategy,
    TransferDtype transferDtype,
    BaseDtype baseDtype) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A configuration whose updates travel as float32. */
  public FederationConfig(String model, Task task, List<String> clients, int rounds, int clientsPerRound,
      Double clientFraction, int minClients, long roundDeadlineMillis, long seed, CosineSchedule schedule,
      TrainingConfig training, LoraConfig lora, ClientStrategy clientStrategy, ServerStrategyConfig serverStrategy) {
    this(model, task, clients, rounds, clientsPerRound, clientFraction, minClients, roundDeadlineMillis, seed,
        schedule, training, lora, clientStrategy, serverStrategy, TransferDtype.FLOAT32);
  }

  /** A configuration whose base weights are held in float32. */
  public FederationConfig(String model, Task task, List<String> clients, int rounds, int clientsPerRound,
      Double clientFraction, int minClients, long roundDeadlineMillis, long seed, CosineSchedule schedule,
      TrainingConfig training, LoraConfig lora, ClientStrategy clientStrategy, ServerStrategyConfig serverStrategy,
      TransferDtype transferDtype) {
    this(model, task, clients, rounds, clientsPerRound, clientFraction, minClients, roundDeadlineMillis, seed,
        schedule, training, lora, clientStrategy, serverStrategy, transferDtype, BaseDtype.FLOAT32);
  }

  public FederationConfig {
    clients = List.copyOf(clients);
    if (transferDtype == null) {
      transferDtype = TransferDtype.FLOAT32;
    }
    if (baseDtype == null) {
      baseDtype = BaseDtype.FLOAT32;
    }
    if (serverStrategy == null) {
      throw new IllegalArgumentException("federation: serverStrategy is missing");
    }
    clients.forEach(FederationLayout::requireClientId);
    if (new HashSet<>(clients).size() != clients.size() || !clients.equals(clients.stream().sorted().toList())) {
      throw new IllegalArgumentException("federation: client ids must be unique and sorted, got " + clients);
    }
    if (rounds <= 0) {
      throw new IllegalArgumentException("federation: rounds must be positive, got " + rounds);
    }
    if (clientsPerRound < 0) {
      throw new IllegalArgumentException("federation: clientsPerRound must not be negative, got " + clientsPerRound);
    }
    if (clientFraction != null && (!(clientFraction > 0 && clientFraction <= 1) || clientsPerRound != 0)) {
      throw new IllegalArgumentException("federation: clientFraction must be in (0, 1] and clientsPerRound 0 with it, "
          + "got " + clientFraction + " and " + clientsPerRound);
    }
    if (minClients < 1 || clientsPerRound > 0 && minClients > clientsPerRound) {
      throw new IllegalArgumentException("federation: minClients must be in [1, "
          + (clientsPerRound > 0 ? Integer.toString(clientsPerRound) : "members") + "], got " + minClients);
    }
    if (roundDeadlineMillis <= 0) {
      throw new IllegalArgumentException("federation: roundDeadline must be positive");
    }
    if (schedule.totalRounds() != rounds) {
      throw new IllegalArgumentException("federation: the learning-rate schedule covers " + schedule.totalRounds()
          + " rounds, the federation has " + rounds);
    }
    serverStrategy.create(Math.max(1, clients.size()));
    if (transferDtype == TransferDtype.FLOAT16 && serverStrategy instanceof ServerStrategyConfig.ScaffoldConfig) {
      throw new IllegalArgumentException("federation: adapter.transferDtype float16 is not supported with scaffold: a "
          + "restarted trainer rebuilds its control variate from its committed weights, which float16 rounds");
    }
  }

  /** A copy whose updates travel as {@code dtype}. */
  public FederationConfig withTransferDtype(TransferDtype dtype) {
    return new FederationConfig(model, task, clients, rounds, clientsPerRound, clientFraction, minClients,
        roundDeadlineMillis, seed, schedule, training, lora, clientStrategy, serverStrategy, dtype, baseDtype);
  }

  /** A copy whose base weights are held in {@code dtype}. */
  public FederationConfig withBaseDtype(BaseDtype dtype) {
    return new FederationConfig(model, task, clients, rounds, clientsPerRound, clientFraction, minClients,
        roundDeadlineMillis, seed, schedule, training, lora, clientStrategy, serverStrategy, transferDtype, dtype);
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
      @JsonProperty("clientFraction") Double clientFraction,
      @JsonProperty("minClients") int minClients,
      @JsonProperty("roundDeadlineMillis") long roundDeadlineMillis,
      @JsonProperty("seed") long seed,
      @JsonProperty("schedule") CosineSchedule schedule,
      @JsonProperty("training") TrainingConfig training,
      @JsonProperty("lora") LoraConfig lora,
      @JsonProperty("clientStrategy") ClientStrategy clientStrategy,
      @JsonProperty("serverStrategy") JsonNode serverStrategy,
      @JsonProperty("serverParameters") Map<String, Double> legacyServerParameters,
      @JsonProperty("transferDtype") TransferDtype transferDtype,
      @JsonProperty("baseDtype") BaseDtype baseDtype) {
    return new FederationConfig(model, task, clients == null ? List.of() : clients, rounds, clientsPerRound,
        clientFraction, minClients, roundDeadlineMillis, seed,
        schedule, training, lora, clientStrategy, serverStrategy(serverStrategy, legacyServerParameters),
        transferDtype, baseDtype);
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

  /** The configured server strategy (checked at construction) for a round whose pool has {@code poolSize} members. */
  public ServerStrategy createServerStrategy(int poolSize) {
    return serverStrategy.create(poolSize);
  }

  /** The configured server strategy for this configuration's {@link #clients()}. */
  public ServerStrategy createServerStrategy() {
    return createServerStrategy(clients.size());
  }

  /** How many of {@code poolSize} members a round samples. */
  public int perRound(int poolSize) {
    if (clientFraction != null) {
      return Math.min(poolSize, Math.max(1, (int) Math.round(clientFraction * poolSize)));
    }
    return clientsPerRound == 0 ? poolSize : Math.min(clientsPerRound, poolSize);
  }

  /** The sampler of a round whose pool has {@code poolSize} members (at least one). */
  public ClientSampler sampler(int poolSize) {
    return new ClientSampler(Math.max(1, perRound(poolSize)), seed);
  }

  /** Whether a round over a pool of {@code poolSize} members can reach the quorum at all. */
  public boolean quorumPossible(int poolSize) {
    return perRound(poolSize) >= minClients;
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
