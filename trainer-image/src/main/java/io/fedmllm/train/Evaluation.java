package io.fedmllm.train;

import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.data.Task;

/**
 * Scores of one model on one evaluation set: the task's own metric (ROC AUC, macro-F1 or accuracy, in [0, 1]) and
 * accuracy alongside, with the number of samples scored.
 */
public record Evaluation(Task task, double metric, double accuracy, int samples) {

  public String metricName() {
    return switch (task.metric()) {
      case ROC_AUC -> "roc_auc";
      case MACRO_F1 -> "macro_f1";
      case ACCURACY -> "accuracy";
    };
  }

  /** This score as a round's record in status.json / round.json. */
  public RoundMetric asRoundMetric() {
    return new RoundMetric(metricName(), metric, accuracy, samples);
  }
}
