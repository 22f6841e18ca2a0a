package io.fedmllm.model;

import io.fedmllm.data.Sample;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.train.Pretrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where pre-trained bases live: {@code $FEDMLLM_CACHE} (default {@code ~/.cache/fedmllm}) /base/&lt;name&gt;-&lt;key&gt;,
 * keyed by everything that determines the weights (model config, tokenizer, pre-training settings, data seed), so a
 * changed recipe never reuses a stale base. Nothing large is committed to git: bases are produced by
 * {@code fedmllm pretrain} and cached.
 *
 * <p>{@code $FEDMLLM_BUNDLED_BASES} names a read-only directory with the same layout, looked up after the cache: the
 * trainer image pre-trains its presets at build time into {@code /opt/fedmllm/base} (see the Dockerfile), so an
 * aggregator pod loads the preset instead of spending a minute or more of CPU pre-training it in every federation.
 */
public final class BaseCache {
  /** Bumped when the pre-training code changes in a way that changes the weights. */
  private static final String RECIPE_VERSION = "1";
  /** Pre-training runs in this JVM: lets tests check that a process (e.g. a trainer) never pre-trained. */
  private static final AtomicInteger PRETRAININGS = new AtomicInteger();

  private final Path root;
  private final Optional<Path> bundled;

  public BaseCache(Path root) {
    this(root, Optional.empty());
  }

  /**
   * @param bundled a read-only directory of pre-trained bases in the same layout, searched after {@code root}
   */
  public BaseCache(Path root, Optional<Path> bundled) {
    this.root = root;
    this.bundled = bundled;
  }

  public static BaseCache standard() {
    String env = System.getenv("FEDMLLM_CACHE");
    Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "fedmllm");
    String bundledEnv = System.getenv("FEDMLLM_BUNDLED_BASES");
    return new BaseCache(root.resolve("base"),
        bundledEnv == null || bundledEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(bundledEnv)));
  }

  /** Default pre-training recipe for a preset: enough steps to learn the visual and answer-format concepts. */
  public static Pretrainer.Settings defaultSettings(ModelConfig config) {
    return config.name().equals("tiny")
        ? new Pretrainer.Settings(600, 16, 2e-3, 0.05, 17)
        : new Pretrainer.Settings(1500, 16, 1e-3, 0.05, 17);
  }

  /**
   * Where published federation bases are kept by their full SHA-256 ({@code <sha256>.safetensors}): a trainer
   * restarted on the same disk (its pod's cache emptyDir) loads the base from there instead of downloading it.
   */
  public Path publishedCopies() {
    return root.resolve("published");
  }

  /** How many times this JVM pre-trained a base. */
  public static int pretrainings() {
    return PRETRAININGS.get();
  }

  public Path weightsFile(ModelConfig config, TextTokenizer tokenizer, Pretrainer.Settings settings, long dataSeed) {
    String key =
        sha256(config.toJson() + "\n" + tokenizer.sha256() + "\n" + settings + "\n" + dataSeed + "\n"
            + publicSplitFingerprint(config, dataSeed) + "\n" + RECIPE_VERSION);
    return root.resolve(config.name() + "-" + key.substring(0, 16)).resolve(BaseModel.WEIGHTS_FILE);
  }

  /**
   * The cached base for this recipe, pre-training and caching it first when absent. Progress goes to {@code log}.
   */
  public BaseModel loadOrPretrain(
      ModelConfig config, TextTokenizer tokenizer, Pretrainer.Settings settings, long dataSeed, PrintStream log)
      throws IOException {
    Path weights = weightsFile(config, tokenizer, settings, dataSeed);
    if (Files.isRegularFile(weights)) {
      return BaseModel.load(weights, config, tokenizer);
    }
    Optional<Path> shipped = bundled.map(dir -> dir.resolve(root.relativize(weights)));
    if (shipped.isPresent() && Files.isRegularFile(shipped.get())) {
      log.printf("loading the bundled %s base %s%n", config.name(), shipped.get());
      return BaseModel.load(shipped.get(), config, tokenizer);
    }
    PRETRAININGS.incrementAndGet();
    BaseModel base = BaseModel.initialise(config, tokenizer, settings.seed());
    try {
      SyntheticGenerator generator = new SyntheticGenerator(dataSeed, config.imageSize());
      List<Sample> publicSplit = generator.publicSplit(Math.max(2000, settings.steps() * settings.batchSize() / 4));
      log.printf("pretraining %s base (%,d parameters, %d steps) -> %s%n",
          config.name(), base.lm().parameterCount(), settings.steps(), weights);
      int every = Math.max(1, settings.steps() / 10);
      Pretrainer.Result result =
          new Pretrainer(base, settings)
              .run(publicSplit, step -> {
                if (step % every == 0) {
                  log.printf("  pretrain step %d/%d%n", step, settings.steps());
                }
              });
      log.printf("pretrained in %.1f s, loss %.3f -> %.3f%n", result.seconds(), result.firstLoss(), result.lastLoss());
      Files.createDirectories(weights.getParent());
      base.save(weights);
      return base;
    } catch (RuntimeException | IOException e) {
      base.close();
      throw e;
    }
  }

  /** Texts and answers of the first public samples: changes whenever the generator's output changes. */
  private static String publicSplitFingerprint(ModelConfig config, long dataSeed) {
    StringBuilder b = new StringBuilder();
    for (Sample s : new SyntheticGenerator(dataSeed, config.imageSize()).publicSplit(64)) {
      b.append(s.instruction()).append('|').append(s.text().orElse("")).append('|').append(s.answer()).append('\n');
    }
    return sha256(b.toString());
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
