package io.fedmllm.protocol;

import io.fedmllm.train.Evaluation;

/** The global adapter's score on the federation's evaluation split: the task metric and accuracy. */
public record RoundMetric(String metricName, double metric, double accuracy, int samples) {

  public static RoundMetric of(Evaluation e) {
    return new RoundMetric(e.metricName(), e.metric(), e.accuracy(), e.samples());
  }
}
