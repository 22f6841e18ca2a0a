package io.fedmllm.data.synthetic;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.List;
import java.util.Locale;

/**
 * What to generate, written as a short spec where other formats take a path: {@code <task>[,key=value...]} with
 * task {@code hateful}, {@code crisis} or {@code vqa} and keys {@code seed} (default 42), {@code size} (picture
 * side in pixels, default 32) and {@code count} (samples, default 2000 for public and pool, 500 for test).
 * Example: {@code crisis,seed=7,count=800}.
 */
public record SyntheticSpec(Task task, long seed, int imageSize, int count) {

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_COUNT = 2000;
  public static final int DEFAULT_TEST_COUNT = 500;

  public SyntheticSpec {
    if (imageSize < 8) {
      throw new IllegalArgumentException("synthetic image size must be at least 8 pixels, got " + imageSize);
    }
    if (count < 0) {
      throw new IllegalArgumentException("synthetic count must not be negative, got " + count);
    }
  }

  /** Parses a spec; {@code count} defaults by split when absent (0 means "default"). */
  public static SyntheticSpec parse(String spec) {
    String[] parts = spec.strip().split(",");
    Task task = task(parts[0]);
    long seed = DEFAULT_SEED;
    int size = SyntheticGenerator.DEFAULT_IMAGE_SIZE;
    int count = 0;
    for (int i = 1; i < parts.length; i++) {
      String[] keyValue = parts[i].split("=", 2);
      if (keyValue.length != 2) {
        throw new IllegalArgumentException(
            "synthetic spec '" + spec + "': expected key=value, found '" + parts[i] + "'");
      }
      String key = keyValue[0].strip();
      String value = keyValue[1].strip();
      try {
        switch (key) {
          case "seed" -> seed = Long.parseLong(value);
          case "size" -> size = Integer.parseInt(value);
          case "count" -> count = Integer.parseInt(value);
          default -> throw new IllegalArgumentException(
              "synthetic spec '" + spec + "': unknown key '" + key + "', expected seed, size or count");
        }
      } catch (NumberFormatException e) {
        String range = key.equals("seed") ? "0 to " + Long.MAX_VALUE : "0 to " + Integer.MAX_VALUE;
        String problem = value.matches("[0-9]+") ? "is out of range" : "must be an integer";
        throw new IllegalArgumentException("synthetic spec '" + spec + "': " + key + " " + problem + " (" + range
            + "), found '" + value + "'", e);
      }
    }
    return new SyntheticSpec(task, seed, size, count);
  }

  /** The samples of a split (public, pool/train or test). */
  public List<Sample> generate(SyntheticSplit split) {
    int n = count > 0 ? count : (split == SyntheticSplit.TEST ? DEFAULT_TEST_COUNT : DEFAULT_COUNT);
    return new SyntheticGenerator(seed, imageSize).generate(task, split, n);
  }

  private static Task task(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "hateful" -> Task.HATEFUL;
      case "crisis" -> Task.CRISIS;
      case "vqa" -> Task.VQA;
      default -> throw new IllegalArgumentException(
          "synthetic spec: unknown task '" + name + "', expected hateful, crisis or vqa");
    };
  }
}
