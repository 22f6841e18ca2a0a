package io.fedmllm.engine;

import ai.djl.Device;
import io.fedmllm.data.Sample;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.AggregatorBase;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.SharedBase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The aggregator's base with the engine. When storage holds no base yet, it obtains one ({@code obtain}: the base
 * cache, pre-training, or configured weights), publishes it and keeps using it; when a base is published already (a
 * restart, or another aggregator won the race) it loads that one and never calls {@code obtain}. Either way round 0's
 * adapter and the evaluator are built on exactly the published bytes.
 */
public final class EngineAggregatorBase implements AggregatorBase, AutoCloseable {

  private final Supplier<ObtainedBase> obtain;
  private final boolean ownsObtained;
  private final String origin;
  private final FederationConfig config;
  private final List<Sample> evalSamples;
  private final Optional<Path> localCopies;
  private final Optional<Path> checkpointDir;
  private final Optional<Device> device;
  private ObtainedBase obtained;
  private FoundationModel loaded;

  private EngineAggregatorBase(Supplier<ObtainedBase> obtain, boolean ownsObtained, String origin,
      FederationConfig config, List<Sample> evalSamples, Optional<Path> localCopies, Optional<Path> checkpointDir,
      Optional<Device> device) {
    this.obtain = obtain;
    this.ownsObtained = ownsObtained;
    this.origin = origin;
    this.config = config;
    this.evalSamples = evalSamples;
    this.localCopies = localCopies;
    this.checkpointDir = checkpointDir;
    this.device = device;
  }

  /**
   * For the aggregator process: {@code obtain} runs only when storage has no base; what it returns is closed with
   * this object.
   *
   * @param origin how {@code obtain} gets the base, recorded in {@code base.json}, e.g. {@code preset tiny}
   * @param localCopies where a published base is kept by SHA-256 (the pod's cache), so a restart reads it from disk
   * @param checkpointDir this process's copy of the federation's checkpoint, when its base is one
   */
  public static EngineAggregatorBase obtaining(Supplier<ObtainedBase> obtain, String origin, FederationConfig config,
      List<Sample> evalSamples, Optional<Path> localCopies, Optional<Path> checkpointDir) {
    return new EngineAggregatorBase(obtain, true, origin, config, evalSamples, localCopies, checkpointDir,
        Optional.empty());
  }

  /**
   * {@link #obtaining(Supplier, String, FederationConfig, List, Optional, Optional)} for an aggregator that evaluates
   * on {@code device}: a published base it loads goes there ({@code obtain} must put its base there too).
   */
  public static EngineAggregatorBase obtaining(Supplier<ObtainedBase> obtain, String origin, FederationConfig config,
      List<Sample> evalSamples, Optional<Path> localCopies, Optional<Path> checkpointDir, Device device) {
    return new EngineAggregatorBase(obtain, true, origin, config, evalSamples, localCopies, checkpointDir,
        Optional.of(device));
  }

  /**
   * For {@code fedmllm local}: the base already loaded in this JVM (shared with the trainer threads, not closed
   * here) is the one published; if storage holds a different base, that one is loaded and used instead.
   */
  public static EngineAggregatorBase sharing(ObtainedBase inProcess, String origin, FederationConfig config,
      List<Sample> evalSamples, Optional<Path> checkpointDir) {
    return new EngineAggregatorBase(() -> inProcess, false, origin, config, evalSamples, Optional.empty(),
        checkpointDir, Optional.empty());
  }

  @Override
  public Prepared prepare(SharedBase shared, PrintStream log) {
    FoundationModel base = settle(shared, log);
    return new Prepared(base.initialAdapter(config.lora(), config.seed()),
        new EngineRoundEvaluator(base, config, evalSamples));
  }

  private FoundationModel settle(SharedBase shared, PrintStream log) {
    Optional<BaseManifest> published = shared.published();
    if (published.isPresent() && ownsObtained) {
      log.println("aggregator: base: reusing the published " + published.get().describe());
      return loadPublished(shared, published.get(), log);
    }
    long started = System.nanoTime();
    if (obtained == null) {
      obtained = obtain.get();
    }
    String sha = obtained.identity();
    double obtainSeconds = (System.nanoTime() - started) / 1e9;
    if (published.isPresent()) {
      return adopt(shared, published.get(), sha, log);
    }
    long uploading = System.nanoTime();
    BaseManifest committed = obtained.publish(shared, origin);
    if (!committed.identity().equals(sha)) {
      log.println("aggregator: base: another aggregator published its base first");
      return adopt(shared, committed, sha, log);
    }
    log.printf(Locale.ROOT, "aggregator: base: published the %s from %s: obtained in %.2f s, uploaded in %.2f s%n",
        committed.describe(), origin, obtainSeconds, (System.nanoTime() - uploading) / 1e9);
    return obtained.model();
  }

  /** Uses the in-process base when it is the published one, otherwise loads the published one. */
  private FoundationModel adopt(SharedBase shared, BaseManifest published, String ownSha, PrintStream log) {
    if (published.identity().equals(ownSha)) {
      log.println("aggregator: base: the published " + published.describe() + " is the one in this process");
      return obtained.model();
    }
    log.println("aggregator: base: storage holds a different base than this process's; using the published "
        + published.describe());
    if (ownsObtained) {
      obtained.close();
      obtained = null;
    }
    return loadPublished(shared, published, log);
  }

  private FoundationModel loadPublished(SharedBase shared, BaseManifest published, PrintStream log) {
    if (loaded == null) {
      loaded = EngineBase.load(shared, published, localCopies, checkpointDir, "aggregator", log,
          device.orElse(Device.cpu()), config.baseDtype());
    }
    return loaded;
  }

  @Override
  public void close() {
    if (loaded != null) {
      loaded.close();
    }
    if (obtained != null && ownsObtained) {
      obtained.close();
    }
  }
}
