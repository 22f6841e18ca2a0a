package io.fedmllm.data.synthetic;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of the benchmark's synthetic multimodal data: three tasks mirroring the paper's domains (binary
 * hateful-meme style, 8-way crisis style, closed-answer VQA) whose labels depend on the picture and the text
 * together, plus a public pre-training split.
 *
 * <p>Deterministic: sample {@code i} of a (task, split) depends only on the seed, the task, the split and
 * {@code i}, so the same seed gives identical samples and identical pixels, and a longer list starts with the
 * shorter one. Pictures are rendered lazily from a small scene description. See DATA.md for the rules and the
 * accuracy each modality alone can reach.
 */
public final class SyntheticGenerator {

  /** Default picture size in pixels (square, RGB). */
  public static final int DEFAULT_IMAGE_SIZE = 32;

  private final long seed;
  private final int imageSize;
  private final List<Domain> domains;
  private final OptionCopyTask optionCopy = new OptionCopyTask();

  public SyntheticGenerator(long seed) {
    this(seed, DEFAULT_IMAGE_SIZE);
  }

  public SyntheticGenerator(long seed, int imageSize) {
    if (imageSize < 8) {
      throw new IllegalArgumentException("image size must be at least 8 pixels, got " + imageSize);
    }
    this.seed = seed;
    this.imageSize = imageSize;
    this.domains =
        List.of(new HatefulDomain(imageSize), new CrisisDomain(imageSize), new VqaDomain(imageSize));
  }

  public long seed() {
    return seed;
  }

  public int imageSize() {
    return imageSize;
  }

  /**
   * {@code count} samples of a split. For {@link SyntheticSplit#PUBLIC} the task is ignored: public samples mix
   * all three domains.
   */
  public List<Sample> generate(Task task, SyntheticSplit split, int count) {
    return split == SyntheticSplit.PUBLIC ? publicSplit(count) : labelled(task, split, count);
  }

  /**
   * Pre-training samples from all domains plus the generic option-copying task ({@link OptionCopyTask}); unlabelled,
   * answers are captions, texts, attribute names or the option asked for by its letter.
   */
  public List<Sample> publicSplit(int count) {
    List<Sample> samples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Random rng = rng(-1, SyntheticSplit.PUBLIC, i);
      String id = id("public", SyntheticSplit.PUBLIC, i);
      int pick = rng.nextInt(domains.size() + 1);
      samples.add(pick == domains.size() ? optionCopy.sample(id, rng) : domains.get(pick).publicSample(id, rng));
    }
    return samples;
  }

  /** Labelled samples of a task for the client pool. */
  public List<Sample> pool(Task task, int count) {
    return labelled(task, SyntheticSplit.POOL, count);
  }

  /** Held-out labelled samples of a task. */
  public List<Sample> test(Task task, int count) {
    return labelled(task, SyntheticSplit.TEST, count);
  }

  private List<Sample> labelled(Task task, SyntheticSplit split, int count) {
    return examples(task, split, count).stream().map(SyntheticExample::sample).toList();
  }

  /** Labelled samples with the attributes each modality shows, for {@link ModalityAccuracy}. */
  List<SyntheticExample> examples(Task task, SyntheticSplit split, int count) {
    if (split == SyntheticSplit.PUBLIC) {
      throw new IllegalArgumentException("the public split has no task labels");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    Domain domain = domains.stream().filter(d -> d.task() == task).findFirst().orElseThrow();
    String prefix = task.name().toLowerCase(java.util.Locale.ROOT);
    List<SyntheticExample> examples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      examples.add(domain.labelled(id(prefix, split, i), rng(task.ordinal(), split, i)));
    }
    return examples;
  }

  private static String id(String prefix, SyntheticSplit split, int index) {
    return String.format("%s-%s-%06d", prefix, split.cliName(), index);
  }

  /** An independent stream per (task, split, index), mixed with SplitMix64 so nearby seeds do not correlate. */
  private Random rng(int task, SyntheticSplit split, int index) {
    long mixed = mix(seed);
    mixed = mix(mixed ^ (task + 2L));
    mixed = mix(mixed ^ (split.ordinal() + 11L));
    mixed = mix(mixed ^ index);
    return new Random(mixed);
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
