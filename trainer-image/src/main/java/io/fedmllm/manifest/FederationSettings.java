package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.AdapterSpec;
import io.fedmllm.api.v1alpha1.ClientStrategiesSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.MiddleLayerRegularizerSpec;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.ServerStrategySpec;
import io.fedmllm.api.v1alpha1.TrainingSpec;
import io.fedmllm.api.validation.Durations;
import io.fedmllm.api.validation.SpecValidator;
import io.fedmllm.api.validation.Violation;
import io.fedmllm.data.Task;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.strategy.ServerStrategies;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link FederationSpec} in the engine's terms: what the aggregator and the trainers are built from. Everything that
 * depends only on the spec is resolved here; what also depends on the number of clients (sampling, SCAFFOLD's N) or
 * on the model's depth (the middle-layer regulariser's default s) is a method taking it.
 *
 * @param model preset name ({@code tiny}, {@code small}) or, with {@code baseWeights}, the model config URI
 * @param baseWeights URI of base weights replacing a preset's pre-trained base
 * @param serverStrategyName a name {@link ServerStrategies} knows
 * @param serverParameters the strategy parameters the spec sets (absent ones take the paper's defaults)
 */
public record FederationSettings(
    Task task,
    String model,
    Optional<String> baseWeights,
    LoraConfig lora,
    int rounds,
    Sampling sampling,
    int minClients,
    Duration roundDeadline,
    TrainingConfig training,
    CosineSchedule schedule,
    long seed,
    String serverStrategyName,
    Map<String, Double> serverParameters,
    ClientPlugins clientPlugins) {

  /** How many clients a round samples: a count, a fraction of all clients, or (both empty) all of them. */
  public record Sampling(Optional<Integer> count, Optional<Double> fraction) {

    /** Clients per round out of {@code totalClients}. */
    public int perRound(int totalClients) {
      if (count.isPresent()) {
        return Math.min(count.get(), totalClients);
      }
      return fraction.map(f -> Math.max(1, (int) Math.round(f * totalClients))).orElse(totalClients);
    }
  }

  /**
   * The client strategies before the model is known.
   *
   * @param proximalMu 0 when no proximal term is configured
   * @param skipLayers the regulariser's s; empty means one seventh of the model's depth
   */
  public record ClientPlugins(
      double proximalMu, double proximalLayerWeight, Optional<Integer> skipLayers, boolean modalityAgnosticPrompt) {}

  /** The paper's ratio of skipped layers: s = 4 of 28 layers. */
  static final int DEPTH_PER_SKIPPED_LAYER = 7;

  public FederationSettings {
    serverParameters = Map.copyOf(serverParameters);
  }

  /**
   * Maps a spec; validates it first with {@link SpecValidator}, so a spec that did not come through the manifest
   * reader or the API server fails here with the same message.
   *
   * @throws IllegalArgumentException naming the first field that is invalid
   */
  public static FederationSettings from(FederationSpec spec) {
    List<Violation> violations = SpecValidator.validate(spec);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException(violations.get(0).toString());
    }
    TrainingSpec t = spec.getTraining();
    TrainingConfig base = TrainingConfig.paperDefault(t.getBatchSize(), t.getGradientAccumulation());
    TrainingConfig training = t.getLocalSteps() != null
        ? base.withLocalSteps(t.getLocalSteps())
        : base.withLocalEpochs(t.getLocalEpochs() != null ? t.getLocalEpochs() : 1);
    ModelSpec model = spec.getModel();
    FederationSettings settings = new FederationSettings(
        ApiMappings.task(spec.getTask()),
        model.getPreset() != null ? model.getPreset().name().toLowerCase(Locale.ROOT) : model.getConfig(),
        Optional.ofNullable(model.getBaseWeights()),
        lora(spec.getAdapter()),
        spec.getRounds(),
        new Sampling(Optional.ofNullable(spec.getClientsPerRound()), Optional.ofNullable(spec.getClientFraction())),
        spec.getMinClients(),
        Durations.parse(spec.getRoundDeadline()),
        training,
        new CosineSchedule(t.getLearningRate(), spec.getRounds(), t.getWarmupRatio(), t.getMinLearningRateRatio()),
        t.getSeed(),
        ApiMappings.strategyName(spec.getServerStrategy().getName()),
        serverParameters(spec.getServerStrategy()),
        clientPlugins(spec.getClientStrategies()));
    settings.serverStrategy(1);
    return settings;
  }

  /** The server strategy for a federation of {@code totalClients} clients (SCAFFOLD needs that number). */
  public ServerStrategy serverStrategy(int totalClients) {
    Map<String, Number> params = new TreeMap<>(serverParameters);
    if (serverStrategyName.equals(Scaffold.NAME)) {
      params.put("numClients", totalClients);
    }
    try {
      return ServerStrategies.create(serverStrategyName, params);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.serverStrategy: " + e.getMessage(), e);
    }
  }

  /** Picks each round's clients out of {@code totalClients}, seeded by the federation seed. */
  public ClientSampler sampler(int totalClients) {
    return new ClientSampler(sampling.perRound(totalClients), seed);
  }

  /** The client strategies for a model of {@code layers} decoder layers. */
  public ClientStrategy clientStrategy(int layers) {
    ClientPlugins p = clientPlugins;
    int skip = p.skipLayers().orElse(layers / DEPTH_PER_SKIPPED_LAYER);
    if (p.proximalMu() > 0 && 2 * skip >= layers) {
      throw new IllegalArgumentException("spec.clientStrategies.middleLayerRegularizer.s: s=" + skip
          + " leaves no middle layer in a model of " + layers + " layers (use s < " + (layers + 1) / 2 + ")");
    }
    return new ClientStrategy(p.proximalMu(), p.proximalLayerWeight(), skip, p.modalityAgnosticPrompt());
  }

  /**
   * The configuration the protocol's aggregator publishes and every trainer checks, for the given clients (sorted
   * here) and a model of {@code layers} decoder layers.
   */
  public FederationConfig federationConfig(List<String> clients, int layers) {
    List<String> sorted = clients.stream().sorted().toList();
    return new FederationConfig(model, task, sorted, rounds, sampling.perRound(sorted.size()), minClients,
        roundDeadline.toMillis(), seed, schedule, training, lora, clientStrategy(layers), serverStrategyName,
        serverParameters);
  }

  private static LoraConfig lora(AdapterSpec adapter) {
    return new LoraConfig(adapter.getR(), adapter.getAlpha().floatValue(), adapter.getDropout().floatValue(),
        adapter.getTargetModules().stream().map(ApiMappings::moduleName).toList());
  }

  private static Map<String, Double> serverParameters(ServerStrategySpec s) {
    Map<String, Double> params = new TreeMap<>();
    put(params, "eta", s.getEta());
    put(params, "tau", s.getTau());
    put(params, "beta1", s.getBeta1());
    put(params, "beta2", s.getBeta2());
    return params;
  }

  private static void put(Map<String, Double> params, String key, Double value) {
    if (value != null) {
      params.put(key, value);
    }
  }

  private static ClientPlugins clientPlugins(ClientStrategiesSpec c) {
    boolean prompt = Boolean.TRUE.equals(c.getModalityAgnosticPrompt());
    if (c.getFedProx() != null) {
      return new ClientPlugins(c.getFedProx().getMu(), 1, Optional.of(0), prompt);
    }
    MiddleLayerRegularizerSpec m = c.getMiddleLayerRegularizer();
    if (m != null) {
      return new ClientPlugins(m.getMu(), m.getMuW(), Optional.ofNullable(m.getS()), prompt);
    }
    return new ClientPlugins(0, 1, Optional.of(0), prompt);
  }
}
