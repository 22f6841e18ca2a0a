package io.fedmllm.data.formats;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the project's own plain format: JSON lines, one object per sample.
 *
 * <pre>
 * {"id": "q1", "image": "img/q1.png", "text": "the sign says stop", "instruction": "What does the sign mean?",
 *  "options": ["stop", "go"], "label": 0}
 * </pre>
 *
 * <ul>
 *   <li>{@code id} (string or integer) is required.
 *   <li>{@code image} (path relative to the file's folder) and {@code text} are optional; either may be absent.
 *   <li>{@code instruction} is the question. The loader adds the modality sentence and the option list, as for every
 *       other format. It may be omitted when {@code options} are given ({@value #DEFAULT_QUESTION}).
 *   <li>{@code options} (array of strings) makes the sample multiple choice. Give {@code label} (index into
 *       {@code options}) or {@code answer} (one of the options) or both (then they must agree).
 *   <li>Without {@code options} the sample is open-ended: {@code answer} is required and {@code label} is not allowed.
 * </ul>
 */
public final class JsonlReader {

  /** The question used when a multiple-choice record has no {@code instruction}. */
  public static final String DEFAULT_QUESTION = "Choose the correct answer.";

  private final Path imageFolder;

  /** @param imageFolder the folder image paths are relative to (usually the file's own folder) */
  public JsonlReader(Path imageFolder) {
    this.imageFolder = imageFolder;
  }

  public List<Sample> read(Path file) throws IOException {
    return JsonLinesFile.read(file, this::toSample);
  }

  private Sample toSample(JsonFields record) throws DatasetFormatException {
    RecordLocation location = record.location();
    String id = record.requiredId("id");
    Optional<ImageSource> image = Optional.empty();
    Optional<String> imagePath = record.optionalText("image");
    if (imagePath.isPresent()) {
      image = Optional.of(location.existingImage(imageFolder, imagePath.get(), "image"));
    }
    Optional<String> text = record.optionalText("text");
    Optional<String> instruction = record.optionalText("instruction");
    Optional<String> answer = record.optionalText("answer");
    Optional<Integer> label = record.optionalInt("label");
    Optional<List<String>> options = record.optionalTextList("options");

    if (options.isEmpty()) {
      if (label.isPresent()) {
        throw location.fail("label", "a label needs 'options' to index into");
      }
      String question = instruction.orElseThrow(() -> location.fail("instruction", "missing"));
      String openAnswer = answer.orElseThrow(() -> location.fail("answer", "missing"));
      Sample open = Sample.multipleChoice(id, image, text, question, List.of(), Optional.empty());
      return new Sample(
          open.id(), open.image(), open.text(), open.instruction(), openAnswer, Optional.empty(), List.of());
    }
    List<String> choices = options.get();
    if (choices.isEmpty()) {
      throw location.fail("options", "must not be empty");
    }
    int index = labelIndex(location, choices, label, answer);
    String question = instruction.map(Prompts::stripPreamble).orElse(DEFAULT_QUESTION);
    return Sample.multipleChoice(id, image, text, question, choices, Optional.of(index));
  }

  private static int labelIndex(
      RecordLocation location, List<String> options, Optional<Integer> label, Optional<String> answer)
      throws DatasetFormatException {
    if (label.isPresent()) {
      int index = label.get();
      if (index < 0 || index >= options.size()) {
        throw location.fail("label", "unknown label " + index + ", expected 0.." + (options.size() - 1));
      }
      if (answer.isPresent() && !answer.get().equals(options.get(index))) {
        throw location.fail(
            "answer", "'" + answer.get() + "' disagrees with label " + index + " ('" + options.get(index) + "')");
      }
      return index;
    }
    String given = answer.orElseThrow(() -> location.fail("label", "missing (give 'label' or 'answer')"));
    int index = options.indexOf(given);
    if (index < 0) {
      throw location.fail("answer", "'" + given + "' is not one of the options " + options);
    }
    return index;
  }
}
