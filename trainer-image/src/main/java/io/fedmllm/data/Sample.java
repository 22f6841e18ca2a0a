package io.fedmllm.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One training or evaluation example, whatever file format it came from.
 *
 * <p>Either modality may be absent: {@code image} is empty when the sample has no picture, {@code text} is empty
 * when it has no caption/tweet/question text. {@code instruction} is the task prompt (e.g. the multiple-choice
 * question) and {@code answer} the target completion. For classification tasks {@code label} is the class index
 * into {@code options}; for open or closed VQA {@code options} may list the closed answer set.
 */
public record Sample(
    String id,
    Optional<ImageSource> image,
    Optional<String> text,
    String instruction,
    String answer,
    Optional<Integer> label,
    List<String> options) {

  public Sample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(label, "label");
    options = List.copyOf(options);
  }

  /**
   * A labelled multiple-choice sample with the default, modality-specific instruction; the answer is the option
   * text of the label, or empty for unlabelled (test) records.
   */
  public static Sample multipleChoice(
      String id,
      Optional<ImageSource> image,
      Optional<String> text,
      String question,
      List<String> options,
      Optional<Integer> label) {
    Optional<String> nonBlankText = text.filter(t -> !t.isBlank());
    String instruction =
        Prompts.multipleChoice(question, options, image.isPresent(), nonBlankText.isPresent());
    String answer = label.map(options::get).orElse("");
    return new Sample(id, image, nonBlankText, instruction, answer, label, options);
  }

  /**
   * The class this sample counts as for label-skew partitioning: the label index when there is one, otherwise the
   * answer string (open or closed VQA).
   */
  public String labelKey() {
    return label.map(l -> "label:" + l).orElse("answer:" + answer);
  }

  public boolean hasImage() {
    return image.isPresent();
  }

  public boolean hasText() {
    return text.isPresent() && !text.get().isEmpty();
  }

  /** The same sample with its image removed (modality-missing scenarios). */
  public Sample withoutImage() {
    return new Sample(id, Optional.empty(), text, instruction, answer, label, options);
  }

  /** The same sample with its text removed (modality-missing scenarios). */
  public Sample withoutText() {
    return new Sample(id, image, Optional.empty(), instruction, answer, label, options);
  }

  public Sample withInstruction(String newInstruction) {
    return new Sample(id, image, text, newInstruction, answer, label, options);
  }
}
