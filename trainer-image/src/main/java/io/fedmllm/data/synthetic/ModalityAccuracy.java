package io.fedmllm.data.synthetic;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The accuracy an ideal classifier reaches on a synthetic task when it sees only the picture, only the text, both
 * or neither: the Bayes-optimal rule (the most frequent answer for what it sees), fitted on the pool split and
 * scored on the test split. It bounds what any model can do when a modality is missing.
 *
 * <p>"What it sees" is the label-relevant attributes of the picture or of the text (see {@link SyntheticExample};
 * the other attributes are independent of the label), plus the question when the task has several questions.
 *
 * @param task the task measured
 * @param imageOnly accuracy from the picture alone
 * @param textOnly accuracy from the text alone
 * @param both accuracy from picture and text
 * @param neither accuracy of always answering the most frequent answer
 */
public record ModalityAccuracy(Task task, double imageOnly, double textOnly, double both, double neither) {

  /** Measures on {@code samples} pool samples (fit) and as many test samples (score). */
  public static ModalityAccuracy measure(Task task, long seed, int samples) {
    SyntheticGenerator generator = new SyntheticGenerator(seed);
    List<SyntheticExample> fit = generator.examples(task, SyntheticSplit.POOL, samples);
    List<SyntheticExample> score = generator.examples(task, SyntheticSplit.TEST, samples);
    return new ModalityAccuracy(
        task,
        accuracy(fit, score, SyntheticExample::imageKey),
        accuracy(fit, score, SyntheticExample::textKey),
        accuracy(fit, score, e -> e.imageKey() + "||" + e.textKey()),
        accuracy(fit, score, e -> questionOf(e.sample())));
  }

  /** Prints the measurement for every task: {@code [seed] [samples]}, defaults 42 and 20000 (as in DATA.md). */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    for (Task task : Task.values()) {
      System.out.println(measure(task, seed, samples));
    }
  }

  private static String questionOf(Sample sample) {
    return String.join("|", sample.options());
  }

  private static double accuracy(
      List<SyntheticExample> fit, List<SyntheticExample> score, Function<SyntheticExample, String> seen) {
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    Map<String, Integer> overall = new HashMap<>();
    for (SyntheticExample example : fit) {
      String answer = example.sample().answer();
      counts.computeIfAbsent(seen.apply(example), k -> new HashMap<>()).merge(answer, 1, Integer::sum);
      overall.merge(answer, 1, Integer::sum);
    }
    String fallback = mostFrequent(overall);
    int correct = 0;
    for (SyntheticExample example : score) {
      Map<String, Integer> seenBefore = counts.get(seen.apply(example));
      String guess = seenBefore == null ? fallback : mostFrequent(seenBefore);
      if (guess.equals(example.sample().answer())) {
        correct++;
      }
    }
    return score.isEmpty() ? 0 : (double) correct / score.size();
  }

  /** The most frequent answer; ties go to the alphabetically first, so the result is deterministic. */
  private static String mostFrequent(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .max(
            Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
        .map(Map.Entry::getKey)
        .orElse("");
  }

  @Override
  public String toString() {
    return String.format(
        "%s: image only %.1f%%, text only %.1f%%, both %.1f%%, neither %.1f%%",
        task, 100 * imageOnly, 100 * textOnly, 100 * both, 100 * neither);
  }
}
