package io.fedmllm.data.formats;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.FileImage;
import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the CrisisMMD v2.0 humanitarian task files unchanged:
 * {@code crisismmd_datasplit_all/task_humanitarian_text_img_{train,dev,test}.tsv}, tab-separated with the header
 * row {@link #HEADER}. One row is one (tweet, image) pair; the sample id is {@code image_id}, the text is
 * {@code tweet_text}, and the class is {@code label_image}, as in the authors' code. The {@code image} column is a
 * path relative to the dataset root (it starts with {@code data_image/}); a path relative to {@code data_image/}
 * itself is accepted too.
 */
public final class CrisisMmdReader {

  /** The exact header row of the official files. */
  public static final List<String> HEADER =
      List.of(
          "event_name",
          "tweet_id",
          "image_id",
          "tweet_text",
          "image",
          "label",
          "label_text",
          "label_image",
          "label_text_image");

  private static final int IMAGE_ID = HEADER.indexOf("image_id");
  private static final int TWEET_TEXT = HEADER.indexOf("tweet_text");
  private static final int IMAGE = HEADER.indexOf("image");
  private static final int LABEL_IMAGE = HEADER.indexOf("label_image");

  private final Path datasetRoot;

  /** @param datasetRoot the folder that contains {@code data_image/} (and usually the split folder) */
  public CrisisMmdReader(Path datasetRoot) {
    this.datasetRoot = datasetRoot;
  }

  /** The official file name of a split: train, dev or test. */
  public static String fileName(String split) {
    return "task_humanitarian_text_img_" + split + ".tsv";
  }

  /** Reads one TSV file; images are resolved against the dataset root. */
  public List<Sample> read(Path tsvFile) throws IOException {
    List<Sample> samples = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(tsvFile, StandardCharsets.UTF_8)) {
      checkHeader(tsvFile, reader.readLine());
      String text;
      int lineNumber = 1;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        if (!text.isBlank()) {
          samples.add(toSample(new RecordLocation(tsvFile, lineNumber), columns(text)));
        }
      }
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(tsvFile, 0, null, "file not found", e);
    } catch (CharacterCodingException e) {
      throw NotText.at(tsvFile, e);
    }
    return samples;
  }

  private static void checkHeader(Path file, String headerLine) throws DatasetFormatException {
    if (headerLine == null) {
      throw new DatasetFormatException(file, 1, null, "empty file, expected the header row");
    }
    List<String> header = columns(headerLine.replace("\uFEFF", ""));
    if (!header.equals(HEADER)) {
      throw new DatasetFormatException(
          file, 1, null, "unexpected header " + header + ", expected " + HEADER + " separated by tabs");
    }
  }

  private Sample toSample(RecordLocation location, List<String> row) throws DatasetFormatException {
    if (row.size() != HEADER.size()) {
      throw location.fail(
          null, "expected " + HEADER.size() + " tab-separated columns, found " + row.size());
    }
    String id = required(location, row, IMAGE_ID);
    FileImage image = image(location, required(location, row, IMAGE));
    String labelName = required(location, row, LABEL_IMAGE);
    List<String> classes = Task.CRISIS.labels();
    int label = classes.indexOf(labelName);
    if (label < 0) {
      throw location.fail("label_image", "unknown class '" + labelName + "', expected one of " + classes);
    }
    return Sample.multipleChoice(
        id,
        Optional.of(image),
        Optional.of(row.get(TWEET_TEXT)),
        Prompts.question(Task.CRISIS),
        classes,
        Optional.of(label));
  }

  private FileImage image(RecordLocation location, String relativePath) throws DatasetFormatException {
    Path underDataImage = datasetRoot.resolve("data_image").resolve(relativePath);
    if (!relativePath.startsWith("data_image/") && Files.isRegularFile(underDataImage)) {
      return new FileImage(underDataImage);
    }
    return location.existingImage(datasetRoot, relativePath, "image");
  }

  private static String required(RecordLocation location, List<String> row, int column)
      throws DatasetFormatException {
    String value = row.get(column).strip();
    if (value.isEmpty()) {
      throw location.fail(HEADER.get(column), "empty");
    }
    return value;
  }

  private static List<String> columns(String line) {
    String withoutCarriageReturn = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    return Arrays.asList(withoutCarriageReturn.split("\t", -1));
  }
}
