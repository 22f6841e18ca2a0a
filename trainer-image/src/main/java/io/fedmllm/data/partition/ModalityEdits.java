package io.fedmllm.data.partition;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;

/**
 * Removing a modality from a sample, with two rules shared by all scenarios: a sample never loses its last
 * modality (a text-only sample on an image-only client keeps its text), and a modality-specific instruction is
 * reworded to match what is left.
 */
final class ModalityEdits {

  private ModalityEdits() {}

  static Sample dropImage(Sample sample) {
    return sample.hasImage() && sample.hasText() ? Prompts.matchModalities(sample.withoutImage()) : sample;
  }

  static Sample dropText(Sample sample) {
    return sample.hasImage() && sample.hasText() ? Prompts.matchModalities(sample.withoutText()) : sample;
  }
}
