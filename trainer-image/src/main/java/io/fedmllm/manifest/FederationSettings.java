package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.AdapterSpec;
import io.fedmllm.api.v1alpha1.AdapterTransferDtype;
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
import io.fedmllm.protocol.BaseDtype;
import io.fedmllm.protocol.TransferDtype;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.StartPolicy;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.DevicePreference;
import io.fedmllm.train.TrainingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link FederationSpec} in the engine's terms: what the aggregator and the trainers are built from. Everything that
 * depends only on the spec is resolved here; what also depends on the number of clients (sampling, SCAFFOLD's N) or
 * on the model's depth (the middle-layer regulariser's default s) is a method taking it. The server strategy's
 * hyper-parameters are resolved and checked here, so a spec whose strategy cannot be built fails before any run.
 *
 * @param model preset name ({@code tiny}, {@code small}), with {@code baseWeights} the model config URI, or for a
 *     {@code checkpoint} its {@link CheckpointDirectories#baseModelName name} (its directory comes from
 *     {@link CheckpointDirectories#directory}, which depends on the process)
 * @param baseWeights URI of base weights replacing a preset's pre-trained base
 * @param startMinClients the clients round 0 waits for ({@code spec.startPolicy.minClients}); empty: the quorum
 * @param startTimeout how long round 0 waits for them ({@code spec.startPolicy.timeout})
 * @param device {@code spec.training.device}: where this process's {@link io.fedmllm.train.DeviceChoice} puts the
 *     base (a per-process choice, so not part of the published {@link FederationConfig})
 * @param serverStrategy the spec's server strategy, absent parameters resolved to the paper's defaults
 * @param transferDtype the element type of the updates trainers upload ({@code spec.adapter.transferDtype})
 * @param baseDtype the element type of a checkpoint's frozen weights ({@code spec.model.baseDtype})
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
    Optional<Integer> startMinClients,
    Optional<Duration> startTimeout,
    TrainingConfig training,
    DevicePreference device,
    CosineSchedule schedule,
    long seed,
    ServerStrategyConfig serverStrategy,
    ClientPlugins clientPlugins,
    TransferDtype transferDtype,
    BaseDtype baseDtype) {

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
   * @param specField the spec field the proximal term comes from, for messages
   */
  public record ClientPlugins(
      double proximalMu, double proximalLayerWeight, Optional<Integer> skipLayers, boolean modalityAgnosticPrompt,
      String specField) {}

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
        modelName(model),
        Optional.ofNullable(model.getBaseWeights()),
        lora(spec.getAdapter()),
        spec.getRounds(),
        new Sampling(Optional.ofNullable(spec.getClientsPerRound()), Optional.ofNullable(spec.getClientFraction())),
        spec.getMinClients(),
        Durations.parse(spec.getRoundDeadline()),
        Optional.ofNullable(spec.getStartPolicy()).map(p -> p.getMinClients()),
        Optional.ofNullable(spec.getStartPolicy()).map(p -> p.getTimeout()).map(Durations::parse),
        training,
        device(t),
        new CosineSchedule(t.getLearningRate(), spec.getRounds(), t.getWarmupRatio(), t.getMinLearningRateRatio()),
        t.getSeed(),
        serverStrategy(spec.getServerStrategy()),
        clientPlugins(spec.getClientStrategies()),
        transferDtype(spec.getAdapter()),
        spec.getModel().getBaseDtype() == io.fedmllm.api.v1alpha1.BaseDtype.FLOAT16 ? BaseDtype.FLOAT16
            : BaseDtype.FLOAT32);
    // the plug-ins' own values are checked now; whether s fits the model once its depth is known
    settings.clientStrategy(1 + 2 * settings.clientPlugins.skipLayers().orElse(0));
    return settings;
  }

  /**
   * {@code spec.training.device} alone, for a process that needs nothing else of the spec (a trainer pod choosing
   * its device before it joins).
   */
  public static DevicePreference device(TrainingSpec training) {
    return ApiMappings.device(training == null ? null : training.getDevice());
  }

  /** Picks each round's clients out of {@code totalClients}, seeded by the federation seed. */
  public ClientSampler sampler(int totalClients) {
    return new ClientSampler(sampling.perRound(totalClients), seed);
  }

  /** The client strategies for a model of {@code layers} decoder layers. */
  public ClientStrategy clientStrategy(int layers) {
    ClientPlugins p = clientPlugins;
    int skip = p.skipLayers().orElse(ClientStrategy.defaultSkipLayers(layers));
    try {
      return new ClientStrategy(p.proximalMu(), p.proximalLayerWeight(), skip, p.modalityAgnosticPrompt())
          .requireFits(layers);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p.specField() + "." + fieldOf(e) + ": " + e.getMessage(), e);
    }
  }

  /** The parameter name a strategy's message starts with ({@code s = 2 leaves ...} names {@code s}). */
  private static String fieldOf(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf(' ');
    return end > 0 ? message.substring(0, end) : message;
  }

  /**
   * The configuration the protocol's aggregator publishes and every trainer checks, for the clients that are members
   * now (sorted here; membership may change later) and a model of {@code layers} decoder layers. The sampling rule is
   * kept as the spec states it (a count, a fraction, or every member), so it follows the pool of each round.
   */
  public FederationConfig federationConfig(List<String> clients, int layers) {
    List<String> sorted = clients.stream().sorted().toList();
    return new FederationConfig(model, task, sorted, rounds, sampling.count().orElse(0),
        sampling.count().isPresent() ? null : sampling.fraction().orElse(null), minClients,
        roundDeadline.toMillis(), seed, schedule, training, lora, clientStrategy(layers), serverStrategy,
        transferDtype, baseDtype);
  }

  /** When round 0 starts ({@code spec.startPolicy}); without one, as soon as the quorum's worth of clients exist. */
  public StartPolicy startPolicy() {
    return new StartPolicy(Math.max(minClients, startMinClients.orElse(minClients)), startTimeout);
  }

  private static String modelName(ModelSpec model) {
    if (model.getPreset() != null) {
      return model.getPreset().name().toLowerCase(Locale.ROOT);
    }
    return CheckpointDirectories.baseModelName(model).orElse(model.getConfig());
  }

  private static TransferDtype transferDtype(AdapterSpec adapter) {
    return adapter.getTransferDtype() == AdapterTransferDtype.FLOAT16 ? TransferDtype.FLOAT16 : TransferDtype.FLOAT32;
  }

  private static LoraConfig lora(AdapterSpec adapter) {
    return new LoraConfig(adapter.getR(), adapter.getAlpha(), adapter.getDropout().floatValue(),
        adapter.getTargetModules().stream().map(ApiMappings::moduleName).toList());
  }

  /** The spec's strategy; an error names the field, e.g. {@code spec.serverStrategy.eta = -1.0: must be ...}. */
  private static ServerStrategyConfig serverStrategy(ServerStrategySpec s) {
    try {
      return ServerStrategyConfig.of(ApiMappings.strategyName(s.getName()), s.getEta(), s.getTau(), s.getBeta1(),
          s.getBeta2());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.serverStrategy." + e.getMessage(), e);
    }
  }

  private static ClientPlugins clientPlugins(ClientStrategiesSpec c) {
    boolean prompt = Boolean.TRUE.equals(c.getModalityAgnosticPrompt());
    if (c.getFedProx() != null) {
      return new ClientPlugins(c.getFedProx().getMu(), 1, Optional.of(0), prompt, "spec.clientStrategies.fedProx");
    }
    MiddleLayerRegularizerSpec m = c.getMiddleLayerRegularizer();
    if (m != null) {
      return new ClientPlugins(m.getMu(), m.getMuW(), Optional.ofNullable(m.getS()), prompt,
          "spec.clientStrategies.middleLayerRegularizer");
    }
    return new ClientPlugins(0, 1, Optional.of(0), prompt, "spec.clientStrategies");
  }
}
