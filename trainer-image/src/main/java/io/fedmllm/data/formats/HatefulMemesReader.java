package io.fedmllm.data.formats;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the Facebook Hateful-Memes JSON-lines files unchanged ({@code train.jsonl}, {@code dev_seen.jsonl},
 * {@code test_seen.jsonl}, ...): one object per meme, {@code {"id": 42953, "img": "img/42953.png", "label": 0,
 * "text": "..."}}. {@code label} (0 not-hateful, 1 hateful) is absent in unlabelled test files; such samples have no
 * label and an empty answer. {@code img} is relative to the dataset folder.
 */
public final class HatefulMemesReader {

  private final Path datasetFolder;

  /** @param datasetFolder the folder holding the {@code .jsonl} files and the {@code img/} folder */
  public HatefulMemesReader(Path datasetFolder) {
    this.datasetFolder = datasetFolder;
  }

  /** Reads one split file, e.g. {@code train.jsonl}, resolved against the dataset folder. */
  public List<Sample> read(String fileName) throws IOException {
    return read(datasetFolder.resolve(fileName));
  }

  /** Reads the given split file; image paths are resolved against the dataset folder. */
  public List<Sample> read(Path file) throws IOException {
    return JsonLinesFile.read(file, this::toSample);
  }

  private Sample toSample(JsonFields record) throws DatasetFormatException {
    String id = record.requiredId("id");
    ImageSource image =
        record.location().existingImage(datasetFolder, record.requiredText("img"), "img");
    String text = record.requiredText("text");
    Optional<Integer> label = record.optionalInt("label");
    List<String> options = Task.HATEFUL.labels();
    if (label.isPresent() && (label.get() < 0 || label.get() >= options.size())) {
      throw record.location().fail("label", "unknown label " + label.get() + ", expected 0 or 1");
    }
    return Sample.multipleChoice(
        id, Optional.of(image), Optional.of(text), Prompts.question(Task.HATEFUL), options, label);
  }
}
