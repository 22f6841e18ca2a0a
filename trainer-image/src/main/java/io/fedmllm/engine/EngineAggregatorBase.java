package io.fedmllm.engine;

import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.protocol.AggregatorBase;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.SharedBase;
import io.fedmllm.storage.Checksums;
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

  private final Supplier<BaseModel> obtain;
  private final boolean ownsObtained;
  private final String origin;
  private final FederationConfig config;
  private final List<Sample> evalSamples;
  private final Optional<Path> localCopies;
  private BaseModel obtained;
  private BaseModel loaded;

  private EngineAggregatorBase(Supplier<BaseModel> obtain, boolean ownsObtained, String origin,
      FederationConfig config, List<Sample> evalSamples, Optional<Path> localCopies) {
    this.obtain = obtain;
    this.ownsObtained = ownsObtained;
    this.origin = origin;
    this.config = config;
    this.evalSamples = evalSamples;
    this.localCopies = localCopies;
  }

  /**
   * For the aggregator process: {@code obtain} runs only when storage has no base; what it returns is closed with
   * this object.
   *
   * @param origin how {@code obtain} gets the base, recorded in {@code base.json}, e.g. {@code preset tiny}
   * @param localCopies where a published base is kept by SHA-256 (the pod's cache), so a restart reads it from disk
   */
  public static EngineAggregatorBase obtaining(Supplier<BaseModel> obtain, String origin, FederationConfig config,
      List<Sample> evalSamples, Optional<Path> localCopies) {
    return new EngineAggregatorBase(obtain, true, origin, config, evalSamples, localCopies);
  }

  /**
   * For {@code fedmllm local}: the base already loaded in this JVM (shared with the trainer threads, not closed
   * here) is the one published; if storage holds a different base, that one is loaded and used instead.
   */
  public static EngineAggregatorBase sharing(BaseModel inProcess, String origin, FederationConfig config,
      List<Sample> evalSamples) {
    return new EngineAggregatorBase(() -> inProcess, false, origin, config, evalSamples, Optional.empty());
  }

  @Override
  public Prepared prepare(SharedBase shared, PrintStream log) {
    BaseModel base = settle(shared, log);
    return new Prepared(LoraWeights.initialTensors(base.config(), config.lora(), config.seed()),
        new EngineRoundEvaluator(base, config, evalSamples));
  }

  private BaseModel settle(SharedBase shared, PrintStream log) {
    Optional<BaseManifest> published = shared.published();
    if (published.isPresent() && ownsObtained) {
      log.println("aggregator: base: reusing the published " + published.get().describe());
      return loadPublished(shared, published.get(), log);
    }
    long started = System.nanoTime();
    if (obtained == null) {
      obtained = obtain.get();
    }
    byte[] bytes = obtained.encode();
    String sha = Checksums.sha256Hex(bytes);
    double obtainSeconds = (System.nanoTime() - started) / 1e9;
    if (published.isPresent()) {
      return adopt(shared, published.get(), sha, log);
    }
    long uploading = System.nanoTime();
    BaseManifest committed = shared.publish(bytes, obtained.config(), obtained.tokenizer().sha256(),
        obtained.lm().parameterCount(), origin);
    if (!committed.weights().sha256().equals(sha)) {
      log.println("aggregator: base: another aggregator published its base first");
      return adopt(shared, committed, sha, log);
    }
    log.printf(Locale.ROOT, "aggregator: base: published the %s from %s: obtained in %.2f s, uploaded in %.2f s%n",
        committed.describe(), origin, obtainSeconds, (System.nanoTime() - uploading) / 1e9);
    return obtained;
  }

  /** Uses the in-process base when it is the published one, otherwise loads the published one. */
  private BaseModel adopt(SharedBase shared, BaseManifest published, String ownSha, PrintStream log) {
    if (published.weights().sha256().equals(ownSha)) {
      log.println("aggregator: base: the published " + published.describe() + " is the one in this process");
      return obtained;
    }
    log.println("aggregator: base: storage holds a different base than this process's; using the published "
        + published.describe());
    if (ownsObtained) {
      obtained.close();
      obtained = null;
    }
    return loadPublished(shared, published, log);
  }

  private BaseModel loadPublished(SharedBase shared, BaseManifest published, PrintStream log) {
    if (loaded == null) {
      loaded = EngineBase.load(shared, published, localCopies, "aggregator", log);
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
