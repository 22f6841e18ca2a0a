package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The dataset layouts the trainer reads (names as in the engine's DatasetFormat). */
public enum DataFormat {
  /** Facebook Hateful-Memes JSON lines next to img/. */
  @JsonProperty("hateful-memes")
  HATEFUL_MEMES,
  /** CrisisMMD v2.0 humanitarian TSV files next to data_image/. */
  @JsonProperty("crisismmd")
  CRISISMMD,
  /** LLaVA-style conversation JSON. */
  @JsonProperty("llava")
  LLAVA,
  /** The project's plain JSON lines. */
  @JsonProperty("jsonl")
  JSONL,
  /** The built-in seeded generator (no files). */
  @JsonProperty("synthetic")
  SYNTHETIC
}
