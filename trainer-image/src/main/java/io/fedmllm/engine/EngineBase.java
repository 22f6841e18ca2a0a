package io.fedmllm.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fedmllm.hf.CheckpointManifest;
import io.fedmllm.hf.HfFoundation;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.PublishedCheckpoint;
import java.util.List;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.protocol.BaseDtype;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.ProtocolException;
import io.fedmllm.protocol.SharedBase;
import io.fedmllm.storage.Checksums;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Loads the federation's published base into the engine: from the local copy keyed by SHA-256 when there is one,
 * otherwise downloaded and verified (size and SHA-256) first. This is the only way a trainer gets its base: it never
 * pre-trains, and every trainer holds exactly the bytes {@code base.json} names.
 */
public final class EngineBase {

  private EngineBase() {}

  /**
   * A built-in published base ({@link #load(SharedBase, BaseManifest, Optional, Optional, String, PrintStream)}
   * without a checkpoint directory).
   */
  public static BaseModel load(SharedBase shared, BaseManifest published, Optional<Path> localCopies, String who,
      PrintStream log) {
    if (published.usesCheckpoint()) {
      throw new ProtocolException("the federation's base is the " + published.describe()
          + ", not a built-in base");
    }
    return loadBuiltIn(shared, published, localCopies, who, log, Optional.empty());
  }

  /**
   * The published base: built-in weights from storage (or the local copy), or the federation's checkpoint from this
   * process's own copy, used only when its files are exactly the recorded ones.
   *
   * @param localCopies where verified copies are kept by SHA-256 (a trainer pod's cache emptyDir); empty to keep none
   * @param checkpointDir this process's copy of the checkpoint (volume, path, or fetched into its cache)
   * @param who the log prefix, e.g. the client id
   */
  public static FoundationModel load(SharedBase shared, BaseManifest published, Optional<Path> localCopies,
      Optional<Path> checkpointDir, String who, PrintStream log) {
    return load(shared, published, localCopies, checkpointDir, who, log, Optional.empty(), BaseDtype.FLOAT32);
  }

  /**
   * {@link #load(SharedBase, BaseManifest, Optional, Optional, String, PrintStream)} with the base's arrays on
   * {@code device} (a trainer's {@link io.fedmllm.train.DeviceChoice}).
   */
  public static FoundationModel load(SharedBase shared, BaseManifest published, Optional<Path> localCopies,
      Optional<Path> checkpointDir, String who, PrintStream log, Device device) {
    return load(shared, published, localCopies, checkpointDir, who, log, Optional.of(device), BaseDtype.FLOAT32);
  }

  /**
   * {@link #load(SharedBase, BaseManifest, Optional, Optional, String, PrintStream, Device)} with a checkpoint's
   * frozen weights in {@code weights} ({@code spec.model.baseDtype}; a built-in base is always float32).
   */
  public static FoundationModel load(SharedBase shared, BaseManifest published, Optional<Path> localCopies,
      Optional<Path> checkpointDir, String who, PrintStream log, Device device, BaseDtype weights) {
    return load(shared, published, localCopies, checkpointDir, who, log, Optional.of(device), weights);
  }

  /** The engine's element type for {@code spec.model.baseDtype}. */
  public static DataType dataType(BaseDtype dtype) {
    return dtype == BaseDtype.FLOAT16 ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  private static FoundationModel load(SharedBase shared, BaseManifest published, Optional<Path> localCopies,
      Optional<Path> checkpointDir, String who, PrintStream log, Optional<Device> device, BaseDtype weights) {
    if (!published.usesCheckpoint()) {
      return loadBuiltIn(shared, published, localCopies, who, log, device);
    }
    long started = System.nanoTime();
    PublishedCheckpoint record = published.checkpoint();
    Path dir = checkpointDir.orElseThrow(() -> new ProtocolException("the federation's base is the "
        + published.describe() + ", but this process was given no checkpoint directory (spec.model.checkpoint)"));
    try {
      CheckpointManifest own = CheckpointManifest.of(dir);
      List<String> differences = record.files().differences(own);
      if (!differences.isEmpty()) {
        throw new ProtocolException(dir + " is not the checkpoint the aggregator verified and recorded in "
            + "base/base.json (" + differences.size() + " difference(s)): "
            + String.join("; ", differences.subList(0, Math.min(3, differences.size()))));
      }
      double hashSeconds = (System.nanoTime() - started) / 1e9;
      Consumer<String> report = line -> log.println(who + ": base: " + line);
      HfFoundation base = device.isPresent()
          ? HfFoundation.load(dir, record.name(), report, device.get(), dataType(weights))
          : HfFoundation.load(dir, record.name(), report, dataType(weights));
      log.printf(Locale.ROOT, "%s: base: loaded the %s from %s in %.2f s (files verified in %.2f s)%n", who,
          published.describe(), dir, (System.nanoTime() - started) / 1e9, hashSeconds);
      return base;
    } catch (IOException e) {
      throw new ProtocolException(e.getMessage());
    }
  }

  private static BaseModel loadBuiltIn(SharedBase shared, BaseManifest published, Optional<Path> localCopies,
      String who, PrintStream log, Optional<Device> device) {
    long started = System.nanoTime();
    TextTokenizer tokenizer = TextTokenizer.builtIn();
    if (!tokenizer.sha256().equals(published.tokenizerSha256())) {
      tokenizer.close();
      throw new ProtocolException(published.weights().key() + ": the published base was trained with tokenizer "
          + published.tokenizerSha256() + ", this image ships " + tokenizer.sha256());
    }
    byte[] bytes;
    String from;
    if (localCopies.isPresent()) {
      SharedBase.Fetched fetched = shared.fetch(published, localCopies.get());
      bytes = fetched.bytes();
      from = fetched.fromLocalCopy() ? "local copy " + localCopies.get() : "storage, verified";
      if (fetched.copyProblem() != null) {
        log.println(who + ": base: " + fetched.copyProblem());
      }
    } else {
      bytes = shared.download(published);
      from = "storage, verified";
    }
    double fetchSeconds = (System.nanoTime() - started) / 1e9;
    BaseModel base;
    try {
      String source = published.weights().key();
      base = device.isPresent()
          ? BaseModel.decode(bytes, source, published.model(), tokenizer, device.get())
          : BaseModel.decode(bytes, source, published.model(), tokenizer);
    } catch (IOException e) {
      tokenizer.close();
      throw new ProtocolException(e.getMessage());
    }
    log.printf(Locale.ROOT, "%s: base: loaded the published %s from %s in %.2f s (fetch %.2f s)%n", who,
        published.describe(), from, (System.nanoTime() - started) / 1e9, fetchSeconds);
    return base;
  }

  /** SHA-256 of a base's bytes ({@link BaseModel#encode}), as {@code base.json} names it. */
  public static String sha256(BaseModel base) {
    return Checksums.sha256Hex(base.encode());
  }
}
