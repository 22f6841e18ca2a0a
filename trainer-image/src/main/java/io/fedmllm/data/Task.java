package io.fedmllm.data;

import java.util.List;

/**
 * The three task families of the benchmark, each posed to the model as a multiple-choice instruction and scored with
 * the metric the paper uses for it.
 */
public enum Task {
  /** Hateful-Memes style: 2-way choice, ROC AUC of P(hateful). */
  HATEFUL(Metric.ROC_AUC, List.of("not-hateful", "hateful")),
  /** CrisisMMD v2 humanitarian: 8-way choice, macro-F1. */
  CRISIS(
      Metric.MACRO_F1,
      List.of(
          "affected_individuals",
          "infrastructure_and_utility_damage",
          "injured_or_dead_people",
          "missing_or_found_people",
          "rescue_volunteering_or_donation_effort",
          "vehicle_damage",
          "other_relevant_information",
          "not_humanitarian")),
  /** Closed-answer visual question answering: exact-match accuracy over the closed answer set. */
  VQA(Metric.ACCURACY, List.of());

  /** How predictions on a task are scored. */
  public enum Metric {
    ROC_AUC,
    MACRO_F1,
    ACCURACY
  }

  private final Metric metric;
  private final List<String> labels;

  Task(Metric metric, List<String> labels) {
    this.metric = metric;
    this.labels = labels;
  }

  public Metric metric() {
    return metric;
  }

  /** Class names for classification tasks; empty for VQA, whose options come with each sample. */
  public List<String> labels() {
    return labels;
  }
}
