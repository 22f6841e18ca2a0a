package io.fedmllm.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** The benchmark's metrics, as pure functions of labels and predictions. */
public final class Metrics {
  private Metrics() {}

  /**
   * Area under the ROC curve of {@code scores} for binary {@code labels} (1 = positive), with tied scores counted
   * half (the Mann-Whitney U statistic). Returns 0.5 when only one class is present.
   */
  public static double rocAuc(int[] labels, double[] scores) {
    requireSameLength(labels.length, scores.length);
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    long positives = Arrays.stream(labels).filter(l -> l == 1).count();
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return 0.5;
    }
    double rankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSum += averageRank;
        }
      }
      i = j + 1;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * Unweighted mean of per-class F1 over the classes among 0..classes-1 that occur in {@code labels} or
   * {@code predictions} (a class neither present nor predicted is left out, as scikit-learn's
   * {@code f1_score(average='macro')} does); a class with no true positive counts 0.
   */
  public static double macroF1(int[] labels, int[] predictions, int classes) {
    requireSameLength(labels.length, predictions.length);
    double sum = 0;
    int counted = 0;
    for (int c = 0; c < classes; c++) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < labels.length; i++) {
        boolean actual = labels[i] == c;
        boolean predicted = predictions[i] == c;
        if (actual && predicted) {
          tp++;
        } else if (predicted) {
          fp++;
        } else if (actual) {
          fn++;
        }
      }
      if (tp + fp + fn == 0) {
        continue;
      }
      sum += 2.0 * tp / (2.0 * tp + fp + fn);
      counted++;
    }
    return counted == 0 ? 0 : sum / counted;
  }

  public static double accuracy(int[] labels, int[] predictions) {
    requireSameLength(labels.length, predictions.length);
    if (labels.length == 0) {
      return 0;
    }
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += labels[i] == predictions[i] ? 1 : 0;
    }
    return (double) correct / labels.length;
  }

  private static void requireSameLength(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("labels and predictions differ in length: " + a + " vs " + b);
    }
  }
}
