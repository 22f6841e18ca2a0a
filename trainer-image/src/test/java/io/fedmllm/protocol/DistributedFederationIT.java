package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.engine.EngineAggregatorBase;
import io.fedmllm.engine.ObtainedBase;
import io.fedmllm.engine.EngineBase;
import io.fedmllm.engine.EngineLocalTraining;
import io.fedmllm.engine.FederationSpec;
import io.fedmllm.engine.SyntheticData;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.FederatedSimulation;
import io.fedmllm.train.TrainingConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole federations with the real engine (tiny pre-trained base, generated data) over a real S3Proxy: the aggregator
 * publishes the base and every trainer loads exactly those bytes from storage (none pre-trains); the distributed run
 * reproduces the in-process simulation bit for bit and beats zero-shot, and an aggregator killed mid-run (a child
 * JVM, destroyed forcibly) and restarted reuses the published base and still ends with exactly the same final adapter.
 */
class DistributedFederationIT {

  private static final SyntheticData DATA = new SyntheticData("aligned:0.5", 300, 150, 42);
  private static BaseModel base;

  @TempDir Path dir;
  private ProtocolHarness harness;
  private ManifestStore reader;

  @BeforeAll
  static void loadBase() throws Exception {
    ModelConfig config = ModelConfig.preset("tiny");
    base = BaseCache.standard().loadOrPretrain(config, TextTokenizer.builtIn(), BaseCache.defaultSettings(config),
        11, System.out);
  }

  @AfterAll
  static void closeBase() {
    base.close();
  }

  @BeforeEach
  void start() throws Exception {
    harness = new ProtocolHarness(dir.resolve("s3"));
    reader = harness.connect(new FederationMetrics());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private static FederationConfig config(String strategy, int rounds, int steps) {
    return new FederationConfig("tiny", Task.HATEFUL, ProtocolHarness.clientIds(3), rounds, 2, null, 2, 120_000, 42,
        new CosineSchedule(3e-3, rounds, 0, 0.1), TrainingConfig.paperDefault(8, 1).withLocalSteps(steps),
        LoraConfig.paperDefault(), ClientStrategy.none(), ServerStrategyConfig.defaults(strategy));
  }

  /** The in-process reference for the same configuration and data. */
  private static FederatedSimulation.Outcome simulate(FederationConfig config) {
    FederatedSimulation.Settings settings = new FederatedSimulation.Settings(config.rounds(),
        config.clientsPerRound(), config.schedule(), config.training(), config.clientStrategy(), config.seed());
    return new FederatedSimulation(base, config.lora(), config.serverStrategy(), settings)
        .run(config.task(), DATA.partitions(config), DATA.evalSamples(config), r -> {});
  }

  /**
   * Trainers as the trainer command builds them: each loads the published base from storage (keeping a copy under
   * {@code copies}), never the test's own; the bases they loaded are collected in {@code loaded}.
   */
  private List<Future<FederationOutcome>> startTrainers(FederationLayout layout, FederationConfig config,
      List<BaseModel> loaded) {
    List<Future<FederationOutcome>> trainers = new ArrayList<>();
    for (String client : config.clients()) {
      ManifestStore store = harness.connect(new FederationMetrics());
      trainers.add(harness.threads.submit(() -> new Trainer(store, layout, client, config.rounds(),
          (c, published, shared) -> {
            BaseModel own = EngineBase.load(shared, published, Optional.of(dir.resolve("copies-" + client)), client,
                System.out);
            loaded.add(own);
            return new EngineLocalTraining(own, c, client, DATA.clientSamples(c, client));
          }, ProtocolHarness.FAST, new FederationMetrics(), System.out).run()));
    }
    return trainers;
  }

  private static void closeAll(List<BaseModel> bases) {
    bases.forEach(BaseModel::close);
  }

  private TensorMap finalAdapter(FederationOutcome outcome) {
    return UpdateCodec.decode(reader.readData(outcome.finalAdapter()), "final adapter");
  }

  @Test
  void aDistributedFederationMatchesTheInProcessSimulationAndBeatsZeroShot() throws Exception {
    FederationConfig config = config("fedavg", 3, 25);
    FederationLayout layout = new FederationLayout("fed/matches");
    FederationMetrics metrics = new FederationMetrics();
    ManifestStore aggregatorStore = harness.connect(metrics);
    EngineAggregatorBase aggregatorBase = EngineAggregatorBase.sharing(ObtainedBase.builtIn(base), "test",
        config, DATA.evalSamples(config), java.util.Optional.empty());
    Future<FederationOutcome> aggregator = harness.threads.submit(() -> new Aggregator(aggregatorStore, layout,
        config, aggregatorBase, ProtocolHarness.FAST, metrics, System.out).run());
    List<BaseModel> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
    int pretrainings = BaseCache.pretrainings();
    List<Future<FederationOutcome>> trainers = startTrainers(layout, config, loaded);

    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    for (Future<FederationOutcome> t : trainers) {
      assertTrue(await(t).completed());
    }
    assertEquals(pretrainings, BaseCache.pretrainings(), "nobody pre-trained");
    BaseManifest published = reader.read(layout.base(), BaseManifest.class).orElseThrow();
    assertEquals(EngineBase.sha256(base), published.weights().sha256(), "the aggregator published its base");
    assertEquals(config.clients().size(), loaded.size(), "every trainer loaded the base from storage");
    for (BaseModel own : loaded) {
      assertEquals(published.weights().sha256(), EngineBase.sha256(own), "a trainer's base is the published one");
    }
    closeAll(loaded);
    aggregatorBase.close();
    FederatedSimulation.Outcome reference = simulate(config);
    assertEquals(reference.finalAdapter(), finalAdapter(outcome), "same bytes as the in-process simulation");

    FederationProgress status = reader.read(layout.status(), FederationProgress.class).orElseThrow();
    RoundMetric last = status.history().get(status.history().size() - 1).evaluation();
    assertEquals(reference.last().metric(), last.metric(), 1e-12);
    assertTrue(last.metric() > status.zeroShot().metric() + 0.05,
        "zero-shot " + status.zeroShot().metric() + " -> federated " + last.metric());
    for (int r = 0; r < config.rounds(); r++) {
      assertEquals(reference.rounds().get(r).clients(), status.history().get(r).accepted());
    }
  }

  @Test
  void anAggregatorKilledMidRunAndRestartedEndsWithTheSameAdapterBytes() throws Exception {
    FederationConfig config = config("fedadam", 3, 10);
    FederationLayout layout = new FederationLayout("fed/killed");
    Path spec = dir.resolve("spec.json");
    new FederationSpec(config, DATA).write(spec);
    List<BaseModel> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<FederationOutcome>> trainers = startTrainers(layout, config, loaded);

    Process first = startAggregator(layout, spec, dir.resolve("aggregator-1.log"), Optional.empty());
    ProtocolHarness.sleepUntilExists(reader, layout.roundManifest(0), 150_000);
    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    assertFalse(reader.exists(layout.outcome()), "killed before the end");
    assertFalse(reader.exists(layout.roundManifest(config.rounds() - 1)), "killed before the last round");

    byte[] baseManifest = reader.objects().get(layout.base()).orElseThrow();
    // The restarted aggregator has an empty cache: obtaining a base there would mean pre-training it.
    Process second = startAggregator(layout, spec, dir.resolve("aggregator-2.log"),
        Optional.of(dir.resolve("empty-cache")));
    assertTrue(second.waitFor(150, TimeUnit.SECONDS), "restarted aggregator finished");
    String secondLog = java.nio.file.Files.readString(dir.resolve("aggregator-2.log"));
    assertEquals(0, second.exitValue(), secondLog);
    assertTrue(secondLog.contains("aggregator: base: reusing the published tiny base"), secondLog);
    assertFalse(secondLog.contains("pretraining"), secondLog);
    assertArrayEquals(baseManifest, reader.objects().get(layout.base()).orElseThrow(), "base.json unchanged");
    FederationOutcome outcome = reader.read(layout.outcome(), FederationOutcome.class).orElseThrow();
    for (Future<FederationOutcome> t : trainers) {
      assertTrue(await(t).completed());
    }
    byte[] expected = UpdateCodec.encode(simulate(config).finalAdapter());
    assertArrayEquals(expected, reader.readData(outcome.finalAdapter()), "bit-identical to an uninterrupted run");
    closeAll(loaded);
  }

  /** An aggregator JVM, with {@code FEDMLLM_CACHE} set to {@code cacheHome} when given. */
  private Process startAggregator(FederationLayout layout, Path spec, Path logFile, Optional<Path> cacheHome)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.fedmllm.cli.Fedmllm", "aggregator",
        "--endpoint", harness.server.settings().endpoint().toString(), "--bucket", harness.server.settings().bucket(),
        "--prefix", layout.prefix(), "--spec", spec.toString(), "--poll-millis", "100");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().putAll(harness.server.childEnvironment());
    pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE"));
    cacheHome.ifPresent(home -> pb.environment().put("FEDMLLM_CACHE", home.toString()));
    pb.directory(new File(System.getProperty("user.dir")));
    return pb.start();
  }
}
