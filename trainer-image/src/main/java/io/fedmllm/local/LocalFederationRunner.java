package io.fedmllm.local;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.Resource;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.data.Sample;
import io.fedmllm.manifest.ClientDataResolver;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MeteredObjectStore;
import io.fedmllm.model.BaseModel;
import io.fedmllm.protocol.Aggregator;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.EngineAggregatorBase;
import io.fedmllm.protocol.EngineBase;
import io.fedmllm.protocol.EngineLocalTraining;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.FederationStatus;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolTiming;
import io.fedmllm.protocol.SharedBase;
import io.fedmllm.protocol.Trainer;
import io.fedmllm.protocol.UpdateCodec;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.storage.S3DatasetFetcher;
import io.fedmllm.storage.S3ObjectStore;
import io.fedmllm.storage.StorageException;
import io.fedmllm.storage.StorageSettings;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code fedmllm local}: runs a whole federation described by a manifest on this machine, with the same processes'
 * code the cluster runs (one aggregator, one trainer per client, talking only through object storage), here as
 * threads of one JVM sharing one loaded base model, against an embedded S3 endpoint on 127.0.0.1 unless the manifest
 * names external storage.
 *
 * <p>Everything that can be wrong with the input (spec, data paths, storage) is checked before the first object is
 * written.
 */
public final class LocalFederationRunner {

  /** What the run produced. */
  public record Result(FederationOutcome outcome, FederationStatus status, RunFolder folder) {}

  private final Function<FederationSettings, BaseModel> baseLoader;
  private final Path runsRoot;
  private final PrintStream out;
  private final boolean interactive;
  private final Duration poll;

  /**
   * @param baseLoader loads (or pre-trains and caches) the base the manifest's model names
   * @param runsRoot where run folders are created ({@code runs/} by default)
   */
  public LocalFederationRunner(
      Function<FederationSettings, BaseModel> baseLoader, Path runsRoot, PrintStream out, boolean interactive,
      Duration poll) {
    this.baseLoader = baseLoader;
    this.runsRoot = runsRoot;
    this.out = out;
    this.interactive = interactive;
    this.poll = poll;
  }

  public Result run(Manifest manifest) throws IOException, InterruptedException {
    Resource<FederationSpec> federation = manifest.federation();
    FederationSettings settings = FederationSettings.from(federation.spec());
    Path manifestDir = Path.of(manifest.source()).toAbsolutePath().getParent();
    StorageSpec storage = federation.spec().getStorage();
    Map<String, List<Sample>> data = new LinkedHashMap<>();
    List<Sample> eval;
    try (S3DatasetFetcher fetcher = datasetFetcher(storage)) {
      ClientDataResolver resolver = ClientDataResolver.forLocalRun(manifestDir, java.util.Optional.of(fetcher::fetch));
      for (Resource<FederationClientSpec> client : manifest.clients()) {
        try {
          data.put(client.name(), resolver.clientSamples(client.spec()));
        } catch (IOException e) {
          throw new IOException(manifest.source() + ": FederationClient " + client.name() + ": " + e.getMessage(), e);
        }
      }
      try {
        eval = resolver.evalSamples(federation.spec());
      } catch (IOException e) {
        throw new IOException(manifest.source() + ": Federation " + federation.name() + ": " + e.getMessage(), e);
      }
    }
    boolean external = storage != null && storage.getEndpoint() != null;
    if (external) {
      checkReachable(storage);
    }

    String name = federation.name();
    RunFolder folder = new RunFolder(runsRoot.resolve(name + "-" + java.time.LocalDateTime.now()
        .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    Files.createDirectories(folder.path());
    try (BaseModel base = baseLoader.apply(settings)) {
      FederationConfig config = settings.federationConfig(new ArrayList<>(data.keySet()), base.config().layers());
      FederationLayout layout = new FederationLayout(
          storage != null && storage.getPrefix() != null ? storage.getPrefix() : "federations/" + name);
      out.printf("federation %s: %s, %d clients (%d per round), %d rounds, %s, model %s; run folder %s%n",
          name, config.task().name().toLowerCase(java.util.Locale.ROOT), config.clients().size(),
          config.clientsPerRound(), config.rounds(), config.serverStrategy().strategyName(), config.model(),
          folder.path());
      long started = System.nanoTime();
      if (external) {
        return runAgainst(() -> connect(storage), base, origin(settings), config, layout, data, eval, folder, name,
            started);
      }
      try (EmbeddedObjectStore embedded =
          EmbeddedObjectStore.start(folder.path().resolve("storage"), "fedmllm", 0)) {
        return runAgainst(() -> embedded.connect(RetryPolicy.standard()), base, origin(settings), config, layout, data,
            eval, folder, name, started);
      }
    }
  }

  private interface Connector {
    ObjectStore connect();
  }

  private static String origin(FederationSettings settings) {
    return "fedmllm local's in-process base (" + settings.model()
        + settings.baseWeights().map(w -> ", baseWeights " + w).orElse("") + ")";
  }

  /**
   * The base the trainer threads train on: the in-process one when it is the published one (the normal case: the
   * aggregator thread published it), otherwise the published base, loaded once and shared.
   */
  private static final class TrainerBases implements AutoCloseable {
    private final BaseModel inProcess;
    private String inProcessSha;
    private BaseModel loaded;

    TrainerBases(BaseModel inProcess) {
      this.inProcess = inProcess;
    }

    synchronized BaseModel forPublished(BaseManifest published, SharedBase shared, String client, PrintStream log) {
      if (inProcessSha == null) {
        inProcessSha = EngineBase.sha256(inProcess);
      }
      if (published.weights().sha256().equals(inProcessSha)) {
        log.println(client + ": base: the published " + published.describe() + " is this process's base");
        return inProcess;
      }
      if (loaded == null) {
        loaded = EngineBase.load(shared, published, java.util.Optional.empty(), client, log);
      }
      return loaded;
    }

    @Override
    public synchronized void close() {
      if (loaded != null) {
        loaded.close();
      }
    }
  }

  private Result runAgainst(Connector connector, BaseModel base, String origin, FederationConfig config,
      FederationLayout layout, Map<String, List<Sample>> data, List<Sample> eval, RunFolder folder, String name,
      long started) throws IOException, InterruptedException {
    ProtocolTiming timing = new ProtocolTiming(poll, Duration.ofMillis(config.roundDeadlineMillis()).multipliedBy(3));
    FederationMetrics metrics = new FederationMetrics();
    Path logs = Files.createDirectories(folder.path().resolve("logs"));
    List<AutoCloseable> resources = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(1 + data.size());
    try {
      ManifestStore aggregatorStore = store(connector, metrics, resources);
      PrintStream aggregatorLog = log(logs.resolve("aggregator.log"), resources);
      EngineAggregatorBase aggregatorBase = EngineAggregatorBase.sharing(base, origin, config, eval);
      resources.add(aggregatorBase);
      Future<FederationOutcome> aggregator = threads.submit(() -> new Aggregator(aggregatorStore, layout, config,
          aggregatorBase, timing, metrics, aggregatorLog).run());
      TrainerBases trainerBases = new TrainerBases(base);
      resources.add(trainerBases);
      List<Future<FederationOutcome>> trainers = new ArrayList<>();
      for (Map.Entry<String, List<Sample>> client : data.entrySet()) {
        ManifestStore trainerStore = store(connector, new FederationMetrics(), resources);
        PrintStream trainerLog = log(logs.resolve("trainer-" + client.getKey() + ".log"), resources);
        Trainer.TrainingFactory training = (c, published, shared) -> new EngineLocalTraining(
            trainerBases.forPublished(published, shared, client.getKey(), trainerLog), c, client.getKey(),
            client.getValue());
        trainers.add(threads.submit(() -> new Trainer(trainerStore, layout, client.getKey(), config.rounds(),
            training, timing, new FederationMetrics(), trainerLog).run()));
      }
      ManifestStore viewStore = store(connector, new FederationMetrics(), resources);
      ProgressView view = new ProgressView(viewStore, layout, out, interactive);
      view.header(config.rounds());
      FederationOutcome outcome = awaitWithProgress(aggregator, view, config.rounds());
      view.finish();
      for (Future<FederationOutcome> trainer : trainers) {
        awaitQuietly(trainer, timing.trainerMaxIdle());
      }
      FederationStatus status = viewStore.read(layout.status(), FederationStatus.class).orElseThrow(
          () -> new IOException("the aggregator finished without writing " + layout.status()));
      TensorMap finalAdapter = outcome.finalAdapter() == null ? null
          : UpdateCodec.decode(viewStore.readData(outcome.finalAdapter()), "final adapter");
      AdapterConfig adapterConfig = config.lora().adapterConfig("fedmllm/" + config.model(), true);
      folder.write(name, status, outcome, finalAdapter, adapterConfig, (System.nanoTime() - started) / 1e9);
      return new Result(outcome, status, folder);
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(30, TimeUnit.SECONDS);
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          out.println("warning: closing " + r + ": " + e.getMessage());
        }
      }
    }
  }

  private FederationOutcome awaitWithProgress(Future<FederationOutcome> aggregator, ProgressView view, int rounds)
      throws IOException, InterruptedException {
    while (true) {
      try {
        FederationOutcome outcome = aggregator.get(poll.toMillis(), TimeUnit.MILLISECONDS);
        view.refresh(rounds);
        return outcome;
      } catch (TimeoutException stillRunning) {
        view.refresh(rounds);
      } catch (ExecutionException e) {
        throw new IOException("aggregator failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  private void awaitQuietly(Future<FederationOutcome> trainer, Duration bound) throws InterruptedException {
    try {
      trainer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("warning: a trainer did not finish cleanly: " + e);
    }
  }

  private static ManifestStore store(Connector connector, FederationMetrics metrics, List<AutoCloseable> resources) {
    ManifestStore store = new ManifestStore(new MeteredObjectStore(connector.connect(), metrics));
    resources.add(store);
    return store;
  }

  private static PrintStream log(Path file, List<AutoCloseable> resources) throws IOException {
    OutputStream stream = Files.newOutputStream(file);
    PrintStream ps = new PrintStream(stream, true, StandardCharsets.UTF_8);
    resources.add(ps);
    return ps;
  }

  /**
   * {@code s3:} data sources are read from the manifest's storage endpoint and region (AWS S3 when it names no
   * endpoint) with the standard credentials, never from the embedded store: that one starts empty in each run folder,
   * so it can hold no dataset.
   */
  private S3DatasetFetcher datasetFetcher(StorageSpec storage) {
    URI endpoint = storage != null && storage.getEndpoint() != null ? URI.create(storage.getEndpoint()) : null;
    String region = storage != null && storage.getRegion() != null ? storage.getRegion()
        : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    return S3DatasetFetcher.standard(endpoint, region, RetryPolicy.standard(), out);
  }

  private static S3ObjectStore connect(StorageSpec storage) {
    return S3ObjectStore.connect(
        new StorageSettings(URI.create(storage.getEndpoint()), storage.getRegion(), storage.getBucket()),
        RetryPolicy.standard());
  }

  /** Fails before anything is written when external storage cannot be reached. */
  private static void checkReachable(StorageSpec storage) throws IOException {
    try (S3ObjectStore store = S3ObjectStore.connect(
        new StorageSettings(URI.create(storage.getEndpoint()), storage.getRegion(), storage.getBucket()),
        RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(10)))) {
      store.exists((storage.getPrefix() == null ? "" : storage.getPrefix() + "/") + "federation.json");
    } catch (StorageException | IllegalArgumentException e) {
      throw new IOException("spec.storage.endpoint: cannot reach " + storage.getEndpoint() + " bucket "
          + storage.getBucket() + ": " + e.getMessage(), e);
    }
  }
}
