package io.fedmllm.data;

import java.util.List;

/**
 * The instruction wording of every sample, in one place.
 *
 * <p>An instruction is a <em>preamble</em> followed by a <em>body</em> (the question and, for multiple choice, the
 * option list {@code Options: (A) ... (B) ...}). The default preamble is modality-specific, like the paper's
 * baselines: it says which inputs the sample has ("Look at the image and read the text.", "Look at the image.",
 * "Read the text."). The paper's prompt strategy replaces it by one modality-agnostic sentence, so the wording no
 * longer depends on which modalities are present; the image tokens or the text line are then simply present or
 * absent. Answers are always the option strings themselves: the model scores each option by log-likelihood.
 *
 * <p>All functions are pure and idempotent.
 */
public final class Prompts {

  /** The modality-agnostic preamble of the paper's prompt strategy. */
  public static final String MODALITY_AGNOSTIC =
      "Select the best answer to the following multiple-choice question, without considering the modality.";

  static final String IMAGE_AND_TEXT = "Look at the image and read the text.";
  static final String IMAGE_ONLY = "Look at the image.";
  static final String TEXT_ONLY = "Read the text.";

  private static final List<String> PREAMBLES =
      List.of(MODALITY_AGNOSTIC, IMAGE_AND_TEXT, IMAGE_ONLY, TEXT_ONLY);

  private Prompts() {}

  /** The question stem of a classification task; VQA questions come with each sample. */
  public static String question(Task task) {
    return switch (task) {
      case HATEFUL -> "Is this meme hateful?";
      case CRISIS -> "Which humanitarian category does this post belong to?";
      case VQA -> throw new IllegalArgumentException("VQA questions come with each sample");
    };
  }

  /** The default, modality-specific multiple-choice instruction for the task's own label set. */
  public static String classification(Task task, boolean hasImage, boolean hasText) {
    return multipleChoice(question(task), task.labels(), hasImage, hasText);
  }

  /** The default, modality-specific instruction for a question with the given answer options. */
  public static String multipleChoice(
      String question, List<String> options, boolean hasImage, boolean hasText) {
    return join(modalityPreamble(hasImage, hasText), body(question, options));
  }

  /** {@code question} followed by the lettered option list (just the question when there are no options). */
  public static String body(String question, List<String> options) {
    return options.isEmpty() ? question.strip() : question.strip() + " " + optionList(options);
  }

  /** {@code Options: (A) first (B) second ...}; past 26 options the markers continue as (27), (28), ... */
  public static String optionList(List<String> options) {
    StringBuilder list = new StringBuilder("Options:");
    for (int i = 0; i < options.size(); i++) {
      list.append(" (").append(optionMarker(i)).append(") ").append(options.get(i));
    }
    return list.toString();
  }

  /** The marker of option {@code index}: A..Z, then the 1-based number. */
  public static String optionMarker(int index) {
    return index < 26 ? String.valueOf((char) ('A' + index)) : String.valueOf(index + 1);
  }

  /** The paper's prompt strategy: the same sample with the modality-agnostic preamble. */
  public static Sample rewriteModalityAgnostic(Sample sample) {
    return sample.withInstruction(join(MODALITY_AGNOSTIC, stripPreamble(sample.instruction())));
  }

  /**
   * Makes a modality-specific instruction match the modalities the sample has now (after a scenario dropped
   * one). Instructions already rewritten to the modality-agnostic wording are left alone.
   */
  public static Sample matchModalities(Sample sample) {
    if (sample.instruction().startsWith(MODALITY_AGNOSTIC)) {
      return sample;
    }
    String preamble = modalityPreamble(sample.hasImage(), sample.hasText());
    return sample.withInstruction(join(preamble, stripPreamble(sample.instruction())));
  }

  /** The instruction without any of the known preambles. */
  public static String stripPreamble(String instruction) {
    for (String preamble : PREAMBLES) {
      if (instruction.startsWith(preamble)) {
        return instruction.substring(preamble.length()).strip();
      }
    }
    return instruction.strip();
  }

  static String modalityPreamble(boolean hasImage, boolean hasText) {
    if (hasImage && hasText) {
      return IMAGE_AND_TEXT;
    }
    if (hasImage) {
      return IMAGE_ONLY;
    }
    return hasText ? TEXT_ONLY : "";
  }

  private static String join(String preamble, String body) {
    return preamble.isEmpty() ? body : preamble + " " + body;
  }
}
