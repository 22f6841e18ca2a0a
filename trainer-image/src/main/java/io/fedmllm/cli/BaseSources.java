package io.fedmllm.cli;

import ai.djl.Device;
import io.fedmllm.engine.EngineBase;
import io.fedmllm.protocol.BaseDtype;
import io.fedmllm.engine.SyntheticData;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.engine.ObtainedBase;
import io.fedmllm.hf.CheckpointManifest;
import io.fedmllm.hf.HfFoundation;
import io.fedmllm.hf.HfModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a process that obtains the base itself (the aggregator, {@code fedmllm local}) gets it: configured weights
 * ({@code spec.model.baseWeights}, a path or {@code file:} URI) with the model's config, or a preset's pre-trained base
 * from the cache (pre-training it on first use). Trainers never come here: they load the base the aggregator
 * published.
 */
final class BaseSources {

  private BaseSources() {}

  /** The architecture: a preset name or a model config JSON file. */
  static ModelConfig modelConfig(String model) {
    return SyntheticData.modelConfig(model);
  }

  /** How {@link #obtain} gets the base, for logs and {@code base.json}. */
  static String origin(String model, Optional<String> baseWeights) {
    return baseWeights.map(w -> "baseWeights " + w).orElse("preset " + model + " (cache or pre-training)");
  }

  /** As {@link #origin(String, Optional)}, for a checkpoint: its name and this process's directory. */
  static String origin(String model, Optional<String> baseWeights, Optional<Path> checkpointDir) {
    return checkpointDir.map(dir -> "checkpoint " + model + " at " + dir).orElseGet(() -> origin(model, baseWeights));
  }

  /** Decoder layers of the base (the middle-layer regulariser's range is checked against them). */
  static int decoderLayers(String model, Optional<Path> checkpointDir) {
    if (checkpointDir.isPresent()) {
      try {
        return HfModelConfig.read(checkpointDir.get()).text().layers();
      } catch (IOException e) {
        throw new UncheckedIOException("spec.model.checkpoint: " + e.getMessage(), e);
      }
    }
    return modelConfig(model).layers();
  }

  /**
   * The base: the checkpoint in {@code checkpointDir} (its files recorded first, then verified and loaded), or as
   * {@link #obtain(String, Optional)}.
   *
   * @param model the preset name, or for a checkpoint its name ({@code base_model_name_or_path})
   */
  static ObtainedBase obtain(String model, Optional<String> baseWeights, Optional<Path> checkpointDir) {
    return obtain(model, baseWeights, checkpointDir, Device.cpu(), BaseDtype.FLOAT32);
  }

  /**
   * {@link #obtain(String, Optional, Optional)} with the base's arrays on {@code device}, a checkpoint's frozen
   * weights in {@code weights} ({@code spec.model.baseDtype}).
   */
  static ObtainedBase obtain(String model, Optional<String> baseWeights, Optional<Path> checkpointDir,
      Device device, BaseDtype weights) {
    if (checkpointDir.isEmpty()) {
      return ObtainedBase.builtIn(onDevice(obtain(model, baseWeights), device));
    }
    Path dir = checkpointDir.get();
    try {
      CheckpointManifest files = CheckpointManifest.of(dir);
      HfFoundation base = HfFoundation.load(dir, model, line -> System.err.println("fedmllm: " + line), device,
          EngineBase.dataType(weights));
      return ObtainedBase.checkpoint(base, model, files);
    } catch (IOException e) {
      throw new UncheckedIOException("spec.model.checkpoint: " + e.getMessage(), e);
    }
  }

  /** The same weights on {@code device}: pre-training and the cache work on the CPU. */
  private static BaseModel onDevice(BaseModel base, Device device) {
    if (!device.isGpu()) {
      return base;
    }
    try (base) {
      return BaseModel.decode(base.encode(), "the obtained base", base.config(), TextTokenizer.builtIn(), device);
    } catch (IOException e) {
      throw new UncheckedIOException("spec.model: " + e.getMessage(), e);
    }
  }

  /** Loads (or pre-trains and caches) the base; one-line errors name the field. */
  static BaseModel obtain(String model, Optional<String> baseWeights) {
    ModelConfig config = modelConfig(model);
    try {
      if (baseWeights.isPresent()) {
        return BaseModel.load(path(baseWeights.get()), config, TextTokenizer.builtIn());
      }
      return BaseCache.standard().loadOrPretrain(config, TextTokenizer.builtIn(), BaseCache.defaultSettings(config),
          ModelOptions.PUBLIC_DATA_SEED, System.err);
    } catch (IOException e) {
      throw new UncheckedIOException("spec.model: " + e.getMessage(), e);
    }
  }

  private static Path path(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri));
    }
    if (uri.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("spec.model.baseWeights: " + uri + " is not a local path or file: URI; "
          + "mount the weights and name the file");
    }
    return Path.of(uri);
  }
}
