package io.fedmllm.local;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.Resource;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.data.Sample;
import io.fedmllm.engine.EngineAggregatorBase;
import io.fedmllm.engine.EngineBase;
import io.fedmllm.engine.EngineLocalTraining;
import io.fedmllm.manifest.CheckpointDirectories;
import io.fedmllm.manifest.ClientDataResolver;
import io.fedmllm.storage.S3CheckpointFetcher;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MeteredObjectStore;
import io.fedmllm.engine.ObtainedBase;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.Aggregator;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.DeadlineExtension;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolTiming;
import io.fedmllm.protocol.SharedBase;
import io.fedmllm.protocol.Trainer;
import io.fedmllm.protocol.UpdateCodec;
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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  public record Result(FederationOutcome outcome, FederationProgress status, RunFolder folder) {}

  /**
   * Which run folder a session uses: by default the newest interrupted run of the federation whose configuration is
   * compatible (see {@link ResumableRuns}), else a new one; {@link #startFresh()} always a new one;
   * {@link #resume(Path)} that folder.
   */
  public record RunChoice(boolean fresh, Path resume) {
    public static RunChoice latest() {
      return new RunChoice(false, null);
    }

    public static RunChoice startFresh() {
      return new RunChoice(true, null);
    }

    public static RunChoice resume(Path folder) {
      return new RunChoice(false, folder);
    }
  }

  /** Loads (or pre-trains and caches) the base the manifest's model names. */
  @FunctionalInterface
  public interface BaseLoader {
    /** @param checkpointDir spec.model.checkpoint as a local directory, when the base is a checkpoint */
    ObtainedBase load(FederationSettings settings, Optional<Path> checkpointDir);
  }

  private final BaseLoader baseLoader;
  private final Path runsRoot;
  private final PrintStream out;
  private final boolean interactive;
  private final Duration poll;
  private final String command;

  /**
   * @param baseLoader loads (or pre-trains and caches) the base the manifest's model names
   * @param runsRoot where run folders are created ({@code runs/} by default)
   */
  public LocalFederationRunner(
      BaseLoader baseLoader, Path runsRoot, PrintStream out, boolean interactive,
      Duration poll) {
    this(baseLoader, runsRoot, out, interactive, poll, "fedmllm");
  }

  /** @param command how the user runs fedmllm (e.g. {@code bin/fedmllm}), for the commands the runner prints */
  public LocalFederationRunner(
      BaseLoader baseLoader, Path runsRoot, PrintStream out, boolean interactive,
      Duration poll, String command) {
    this.baseLoader = baseLoader;
    this.runsRoot = runsRoot;
    this.out = out;
    this.interactive = interactive;
    this.poll = poll;
    this.command = command;
  }

  /** The manifest an interrupted run folder was started with (for {@code --resume RUN_DIR} without a manifest). */
  public static Optional<Path> manifestOf(Path runFolder) throws IOException {
    return new RunFolder(runFolder).record().map(r -> Path.of(r.manifest()));
  }

  /** Runs the manifest's federation, continuing its newest compatible interrupted run if there is one. */
  public Result run(Manifest manifest) throws IOException, InterruptedException {
    return run(manifest, RunChoice.latest());
  }

  public Result run(Manifest manifest, RunChoice choice) throws IOException, InterruptedException {
    Resource<FederationSpec> federation = manifest.federation();
    FederationSettings settings = FederationSettings.from(federation.spec());
    Path manifestDir = Path.of(manifest.source()).toAbsolutePath().getParent();
    StorageSpec storage = federation.spec().getStorage();
    Map<String, List<Sample>> data = new LinkedHashMap<>();
    List<Sample> eval;
    Optional<Path> checkpointDir;
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
        checkpointDir = CheckpointDirectories.forLocalRun(manifestDir,
            Optional.of(S3CheckpointFetcher.standard(fetcher)::fetch)).directory(federation.spec().getModel());
      } catch (IOException e) {
        throw new IOException(manifest.source() + ": Federation " + federation.name() + ": " + e.getMessage(), e);
      }
    }
    boolean external = storage != null && storage.getEndpoint() != null;
    if (external) {
      checkReachable(storage);
    }

    String name = federation.name();
    try (ObtainedBase base = baseLoader.load(settings, checkpointDir)) {
      FederationConfig config =
          settings.federationConfig(new ArrayList<>(data.keySet()), base.model().decoderLayers());
      FederationLayout layout = new FederationLayout(
          storage != null && storage.getPrefix() != null ? storage.getPrefix() : "federations/" + name);
      String fresh = command + " local --new " + manifest.source();
      ResumableRuns.Inspector inspector = f -> RunStorage.inspect(f, storage, layout);
      Optional<ResumableRuns.Found> resumed = choice.resume() != null
          ? Optional.of(ResumableRuns.named(choice.resume(), name, config, inspector, fresh))
          : choice.fresh() ? Optional.empty() : ResumableRuns.latest(runsRoot, name, config, inspector, fresh);
      if (resumed.isEmpty()) {
        RunStorage.requireNoFederationAt(storage, layout, choice.fresh());
      }
      RunFolder folder = resumed.isPresent() ? resumed.get().folder() : RunFolder.create(runsRoot, name);
      try (RunFolder.Lock lock = resumed.isPresent() ? resumed.get().lock() : folder.tryLock().orElseThrow()) {
        out.printf("federation %s: %s, %d clients (%d per round), %d rounds, %s, model %s; run folder %s%n",
            name, config.task().name().toLowerCase(java.util.Locale.ROOT), config.clients().size(),
            config.perRound(config.clients().size()), config.rounds(), config.serverStrategy().strategyName(),
            config.model(), folder.path());
        resumed.ifPresent(found -> out.println(resumeLine(found, fresh)));
        long started = System.nanoTime();
        RunRecord running = new RunRecord(name, Path.of(manifest.source()).toAbsolutePath().toString(),
            RunRecord.State.RUNNING, resumed.map(f -> f.stored().committedRounds()).orElse(0), config.rounds(),
            System.currentTimeMillis());
        folder.record(running);
        try (RunStorage store = RunStorage.open(storage, folder)) {
          if (resumed.isPresent()) {
            restartOpenRound(store, layout, resumed.get().stored(), config);
          }
          return runAgainst(store, base, origin(settings), config, layout, data, eval, folder, name, started,
              running);
        }
      }
    }
  }

  private String resumeLine(ResumableRuns.Found found, String fresh) {
    String how = found.record().map(r -> switch (r.state()) {
      case INTERRUPTED -> "it was interrupted";
      case RUNNING -> "it was killed";
      default -> r.state().name();
    }).orElse("it has no run.json");
    return "resuming " + found.folder().path() + " after " + found.stored().committedRounds() + " of "
        + found.stored().config().rounds() + " committed rounds (" + how + "); to start fresh instead: " + fresh;
  }

  /**
   * The whole federation stopped with the session, so the round under way gets its deadline again: an extension of
   * now + roundDeadline (the round's one extension) unless it already had one. Its plan, and the updates committed
   * before the stop, stay as they are; they depend only on committed inputs, so the round ends as it would have.
   */
  private void restartOpenRound(RunStorage storage, FederationLayout layout, StoredFederation stored,
      FederationConfig config) {
    int round = stored.committedRounds();
    if (stored.outcome().isPresent() || round >= config.rounds()) {
      return;
    }
    try (ManifestStore store = new ManifestStore(storage.connect(RetryPolicy.standard()))) {
      if (store.exists(layout.plan(round)) && !store.exists(layout.deadlineExtension(round))) {
        store.publish(layout.deadlineExtension(round), new DeadlineExtension(round,
            System.currentTimeMillis() + config.roundDeadlineMillis(),
            "fedmllm local resumed the interrupted run; the round's deadline starts again"));
      }
    }
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
    private final ObtainedBase inProcess;
    private String inProcessSha;
    private FoundationModel loaded;

    TrainerBases(ObtainedBase inProcess) {
      this.inProcess = inProcess;
    }

    synchronized FoundationModel forPublished(BaseManifest published, SharedBase shared, String client,
        PrintStream log, io.fedmllm.protocol.BaseDtype weights) {
      if (inProcessSha == null) {
        inProcessSha = inProcess.identity();
      }
      if (published.identity().equals(inProcessSha)) {
        log.println(client + ": base: the published " + published.describe() + " is this process's base");
        return inProcess.model();
      }
      if (loaded == null) {
        loaded = EngineBase.load(shared, published, java.util.Optional.empty(), inProcess.checkpointDir(), client,
            log, ai.djl.Device.cpu(), weights);
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

  private Result runAgainst(RunStorage connector, ObtainedBase base, String origin, FederationConfig config,
      FederationLayout layout, Map<String, List<Sample>> data, List<Sample> eval, RunFolder folder, String name,
      long started, RunRecord running) throws IOException, InterruptedException {
    ProtocolTiming timing = new ProtocolTiming(poll, Duration.ofMillis(config.roundDeadlineMillis()).multipliedBy(3));
    FederationMetrics metrics = new FederationMetrics();
    Path logs = Files.createDirectories(folder.path().resolve("logs"));
    List<AutoCloseable> resources = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(1 + data.size());
    try {
      ManifestStore aggregatorStore = store(connector, metrics, resources);
      PrintStream aggregatorLog = log(logs.resolve("aggregator.log"), resources);
      EngineAggregatorBase aggregatorBase = EngineAggregatorBase.sharing(base, origin, config, eval,
          base.checkpointDir());
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
            trainerBases.forPublished(published, shared, client.getKey(), trainerLog, c.baseDtype()), c,
            client.getKey(),
            client.getValue());
        trainers.add(threads.submit(() -> new Trainer(trainerStore, layout, client.getKey(), config.rounds(),
            training, timing, new FederationMetrics(), trainerLog).run()));
      }
      ManifestStore viewStore = store(connector, new FederationMetrics(), resources);
      Gate viewOut = new Gate(out);
      ProgressView view = new ProgressView(viewStore, layout, new PrintStream(viewOut, true, StandardCharsets.UTF_8),
          interactive);
      ManifestStore probe = new ManifestStore(
          connector.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(2))));
      resources.add(probe);
      FederationOutcome outcome;
      try (Interruption interruption = new Interruption(folder, running,
          () -> StoredFederation.committedRounds(probe, layout, view.committedRounds()), out, viewOut::close,
          command + " local --resume " + folder.path())) {
        view.header(config.rounds());
        try {
          outcome = awaitWithProgress(aggregator, view, config.rounds());
        } catch (IOException | RuntimeException e) {
          folder.record(running.with(RunRecord.State.INTERRUPTED, view.committedRounds()));
          throw e;
        }
        view.finish();
      }
      for (Future<FederationOutcome> trainer : trainers) {
        awaitQuietly(trainer, timing.trainerMaxIdle());
      }
      FederationProgress status = viewStore.read(layout.status(), FederationProgress.class).orElseThrow(
          () -> new IOException("the aggregator finished without writing " + layout.status()));
      TensorMap finalAdapter = outcome.finalAdapter() == null ? null
          : UpdateCodec.decode(viewStore.readData(outcome.finalAdapter()), "final adapter");
      AdapterConfig adapterConfig = base.model().adapterConfig(config.lora(), true);
      folder.write(name, status, outcome, finalAdapter, adapterConfig, (System.nanoTime() - started) / 1e9);
      folder.record(running.with(outcome.completed() ? RunRecord.State.COMPLETED : RunRecord.State.FAILED,
          outcome.roundsCommitted()));
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

  private static ManifestStore store(RunStorage connector, FederationMetrics metrics, List<AutoCloseable> resources) {
    ManifestStore store = new ManifestStore(new MeteredObjectStore(connector.connect(RetryPolicy.standard()),
        metrics));
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

  /** The progress view's output, shut when the session is interrupted so the interruption line comes last. */
  private static final class Gate extends java.io.FilterOutputStream {
    private volatile boolean shut;

    Gate(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (!shut) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (!shut) {
        out.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!shut) {
        out.flush();
      }
    }

    @Override
    public void close() {
      shut = true;
    }
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
