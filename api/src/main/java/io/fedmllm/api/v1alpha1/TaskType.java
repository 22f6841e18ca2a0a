package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The benchmark task a federation trains for; it fixes the prompt, the answer options and the metric. */
public enum TaskType {
  /** Hateful-Memes style 2-way choice, scored by ROC AUC. */
  @JsonProperty("hateful")
  HATEFUL,
  /** CrisisMMD humanitarian 8-way choice, scored by macro-F1. */
  @JsonProperty("crisis")
  CRISIS,
  /** Closed-answer visual question answering, scored by accuracy. */
  @JsonProperty("vqa")
  VQA
}
