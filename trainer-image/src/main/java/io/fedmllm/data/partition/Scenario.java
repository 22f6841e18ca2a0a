package io.fedmllm.data.partition;

import io.fedmllm.data.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * One of the paper's four multimodal heterogeneity scenarios, applied after label-skew partitioning as a pure
 * function of the per-client sample lists and a seed.
 *
 * <p>Common rules: a sample never loses its last modality, so samples that already lack one are left as they are;
 * when a modality is removed, a modality-specific instruction is reworded to match (see
 * {@link io.fedmllm.data.Prompts#matchModalities}). Written on the command line as {@code aligned:0.5},
 * {@code missing:0.3}, {@code cross:3:7} or {@code hybrid:0.7} (see {@link #parse}).
 */
public sealed interface Scenario {

  /** Label skew used by scenarios that do not set their own (all but {@link Aligned}). */
  double DEFAULT_LABEL_SKEW_ALPHA = 1.0;

  /** The per-client lists after removing modalities; the input is not modified. */
  List<List<Sample>> apply(List<List<Sample>> clients, long seed);

  /** The Dirichlet alpha this scenario prescribes, if it prescribes one. */
  default OptionalDouble labelSkewAlpha() {
    return OptionalDouble.empty();
  }

  /** The spec this scenario parses from, e.g. {@code cross:3:7}. */
  String spec();

  /**
   * Every sample keeps the modalities it has; only the label skew varies.
   *
   * @param alpha Dirichlet concentration of the label skew (the paper uses 5.0, 1.0 and 0.5)
   */
  record Aligned(double alpha) implements Scenario {
    public Aligned {
      requirePositive(alpha, "aligned alpha");
    }

    @Override
    public List<List<Sample>> apply(List<List<Sample>> clients, long seed) {
      return clients.stream().map(List::copyOf).toList();
    }

    @Override
    public OptionalDouble labelSkewAlpha() {
      return OptionalDouble.of(alpha);
    }

    @Override
    public String spec() {
      return "aligned:" + format(alpha);
    }
  }

  /**
   * Per sample, the image is missing with probability beta and the text is missing with probability beta.
   *
   * <p>The two removals are mutually exclusive: one uniform draw u per sample drops the image when u &lt; beta and
   * the text when beta &le; u &lt; 2 beta. Each modality is thus missing with exactly probability beta, as the
   * paper states, no sample loses both (matching the authors' code, which drops one modality per sample), and beta
   * is limited to [0, 0.5]. Independent removals would instead empty beta^2 of the samples (9 to 25% in the paper's
   * settings), and giving those back one modality would bias the missing rate below beta.
   *
   * @param beta probability that a sample misses its image, and that it misses its text
   */
  record Missing(double beta) implements Scenario {
    public Missing {
      if (!(beta >= 0 && beta <= 0.5)) {
        throw new IllegalArgumentException(
            "missing beta must be a fraction in [0, 0.5] (each modality is dropped with probability beta, never"
                + " both), got " + beta);
      }
    }

    @Override
    public List<List<Sample>> apply(List<List<Sample>> clients, long seed) {
      List<List<Sample>> result = new ArrayList<>(clients.size());
      for (int c = 0; c < clients.size(); c++) {
        Random rng = Seeds.stream(seed, 0x4D495353L, c);
        List<Sample> edited = new ArrayList<>(clients.get(c).size());
        for (Sample sample : clients.get(c)) {
          double u = rng.nextDouble();
          edited.add(
              u < beta
                  ? ModalityEdits.dropImage(sample)
                  : u < 2 * beta ? ModalityEdits.dropText(sample) : sample);
        }
        result.add(List.copyOf(edited));
      }
      return List.copyOf(result);
    }

    @Override
    public String spec() {
      return "missing:" + format(beta);
    }
  }

  /**
   * Per client: round(clients * imageShare / (imageShare + textShare)) clients, chosen at random, keep only images;
   * the others keep only texts.
   *
   * @param imageShare the image-only part of the I:T ratio (3 in 3:7)
   * @param textShare the text-only part of the I:T ratio (7 in 3:7)
   */
  record Cross(int imageShare, int textShare) implements Scenario {
    public Cross {
      if (imageShare < 0 || textShare < 0 || imageShare + textShare == 0) {
        throw new IllegalArgumentException(
            "cross ratio must be two non-negative integers, not both 0, got " + imageShare + ":" + textShare);
      }
    }

    /** How many of {@code clients} clients are image-only. */
    public int imageOnlyClients(int clients) {
      return (int) Math.round((double) clients * imageShare / (imageShare + textShare));
    }

    @Override
    public List<List<Sample>> apply(List<List<Sample>> clients, long seed) {
      List<Integer> order = new ArrayList<>();
      for (int c = 0; c < clients.size(); c++) {
        order.add(c);
      }
      Collections.shuffle(order, Seeds.stream(seed, 0x43524F53L, 0));
      boolean[] imageOnly = new boolean[clients.size()];
      for (int i = 0; i < imageOnlyClients(clients.size()); i++) {
        imageOnly[order.get(i)] = true;
      }
      List<List<Sample>> result = new ArrayList<>(clients.size());
      for (int c = 0; c < clients.size(); c++) {
        boolean keepImage = imageOnly[c];
        result.add(
            clients.get(c).stream()
                .map(s -> keepImage ? ModalityEdits.dropText(s) : ModalityEdits.dropImage(s))
                .toList());
      }
      return List.copyOf(result);
    }

    @Override
    public String spec() {
      return "cross:" + imageShare + ":" + textShare;
    }
  }

  /**
   * Per client, the image modality is available with probability p and the text modality, independently, with
   * probability p. A client left with neither keeps one modality per sample, chosen at random for each sample.
   *
   * @param p probability that a client has a modality (the paper uses 0.8, 0.7 and 0.6)
   */
  record Hybrid(double p) implements Scenario {
    public Hybrid {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("hybrid p must be a probability in [0, 1], got " + p);
      }
    }

    @Override
    public List<List<Sample>> apply(List<List<Sample>> clients, long seed) {
      List<List<Sample>> result = new ArrayList<>(clients.size());
      for (int c = 0; c < clients.size(); c++) {
        Random rng = Seeds.stream(seed, 0x48594252L, c);
        boolean hasImage = rng.nextDouble() < p;
        boolean hasText = rng.nextDouble() < p;
        List<Sample> edited = new ArrayList<>(clients.get(c).size());
        for (Sample sample : clients.get(c)) {
          boolean keepImage = hasImage;
          boolean keepText = hasText;
          if (!hasImage && !hasText) {
            keepImage = rng.nextBoolean();
            keepText = !keepImage;
          }
          Sample kept = keepImage ? sample : ModalityEdits.dropImage(sample);
          edited.add(keepText ? kept : ModalityEdits.dropText(kept));
        }
        result.add(List.copyOf(edited));
      }
      return List.copyOf(result);
    }

    @Override
    public String spec() {
      return "hybrid:" + format(p);
    }
  }

  /**
   * Parses {@code aligned:<alpha>}, {@code missing:<beta>}, {@code cross:<I>:<T>} or {@code hybrid:<p>}.
   * Probabilities may be written as fractions (0.3) or percentages (30%).
   */
  static Scenario parse(String spec) {
    String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":");
    String kind = parts[0];
    int expected = kind.equals("cross") ? 3 : 2;
    String usage =
        "expected aligned:<alpha>, missing:<beta in [0, 0.5]>, cross:<I>:<T> or hybrid:<p in [0, 1]>,"
            + " e.g. aligned:0.5, missing:0.3, cross:3:7, hybrid:0.7";
    if (!List.of("aligned", "missing", "cross", "hybrid").contains(kind)) {
      throw new IllegalArgumentException("unknown scenario '" + spec + "': " + usage);
    }
    if (parts.length != expected) {
      throw new IllegalArgumentException("malformed scenario '" + spec + "': " + usage);
    }
    try {
      return switch (kind) {
        case "aligned" -> new Aligned(number(parts[1]));
        case "missing" -> new Missing(number(parts[1]));
        case "cross" -> new Cross(Integer.parseInt(parts[1].strip()), Integer.parseInt(parts[2].strip()));
        default -> new Hybrid(number(parts[1]));
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed scenario '" + spec + "': " + usage, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid scenario '" + spec + "': " + e.getMessage(), e);
    }
  }

  private static double number(String text) {
    String value = text.strip();
    return value.endsWith("%")
        ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
        : Double.parseDouble(value);
  }

  private static void requirePositive(double value, String name) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%.1f", value) : Double.toString(value);
  }
}
