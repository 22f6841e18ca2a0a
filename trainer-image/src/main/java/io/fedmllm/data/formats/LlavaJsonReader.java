package io.fedmllm.data.formats;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Sample;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads LLaVA-style instruction data unchanged: a JSON array of {@code {"id", "image" (optional), "conversations":
 * [{"from": "human", "value": "<image>\n..."}, {"from": "gpt", "value": "..."}, ...]}}. Every human turn followed
 * by a gpt turn becomes one sample: the human value without its {@code <image>} tag is the question, the gpt value
 * the answer. The sample id is the record id, with {@code #2}, {@code #3}, ... for later turns of one record. The
 * image path is relative to the image folder given at construction.
 *
 * <p>Such data has no text modality separate from the question: samples have an image or not, and no text. With
 * {@link AnswerSet#CLOSED} (closed-answer VQA, e.g. the yes/no questions of VQA-RAD) the distinct answers of the
 * file, sorted, become every sample's options and the label is the answer's index; with {@link AnswerSet#OPEN}
 * samples have no options and no label.
 */
public final class LlavaJsonReader {

  /** How answer options are derived. */
  public enum AnswerSet {
    /** Options are the file's distinct answers; each sample is labelled with its answer's index. */
    CLOSED,
    /** No options, no label: the answer is free text. */
    OPEN
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String IMAGE_TAG = "<image>";

  private final Path imageFolder;
  private final AnswerSet answerSet;

  public LlavaJsonReader(Path imageFolder, AnswerSet answerSet) {
    this.imageFolder = imageFolder;
    this.answerSet = answerSet;
  }

  public List<Sample> read(Path jsonFile) throws IOException {
    List<Turn> turns = readTurns(jsonFile);
    List<String> options = answerSet == AnswerSet.CLOSED ? distinctAnswers(turns) : List.of();
    List<Sample> samples = new ArrayList<>(turns.size());
    for (Turn turn : turns) {
      Optional<Integer> label =
          answerSet == AnswerSet.CLOSED ? Optional.of(options.indexOf(turn.answer)) : Optional.empty();
      Sample sample =
          Sample.multipleChoice(turn.id, turn.image, Optional.empty(), turn.question, options, label);
      samples.add(label.isPresent() ? sample : withAnswer(sample, turn.answer));
    }
    return samples;
  }

  private record Turn(String id, Optional<ImageSource> image, String question, String answer) {}

  private List<Turn> readTurns(Path jsonFile) throws IOException {
    List<Turn> turns = new ArrayList<>();
    try (JsonParser parser = MAPPER.createParser(jsonFile.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DatasetFormatException(jsonFile, lineOf(parser.currentTokenLocation()), null,
            "expected a JSON array of records");
      }
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        RecordLocation location =
            new RecordLocation(jsonFile, lineOf(parser.currentTokenLocation()));
        JsonNode node = MAPPER.readTree(parser);
        turns.addAll(toTurns(new JsonFields(node, location)));
      }
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : lineOf(e.getLocation());
      throw new DatasetFormatException(jsonFile, line, null, "malformed JSON: " + e.getOriginalMessage());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new DatasetFormatException(jsonFile, 0, null, "file not found", e);
    }
    return turns;
  }

  private List<Turn> toTurns(JsonFields record) throws DatasetFormatException {
    RecordLocation location = record.location();
    String id = record.requiredId("id");
    Optional<ImageSource> image = Optional.empty();
    Optional<String> imagePath = record.optionalText("image");
    if (imagePath.isPresent()) {
      image = Optional.of(location.existingImage(imageFolder, imagePath.get(), "image"));
    }
    JsonNode conversations = record.requiredArray("conversations");
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i + 1 < conversations.size(); i += 2) {
      String question = message(location, conversations.get(i), "human", i);
      String answer = message(location, conversations.get(i + 1), "gpt", i + 1);
      String turnId = turns.isEmpty() ? id : id + "#" + (turns.size() + 1);
      turns.add(new Turn(turnId, image, question.replace(IMAGE_TAG, "").strip(), answer.strip()));
    }
    if (turns.isEmpty() || conversations.size() % 2 != 0) {
      throw location.fail(
          "conversations", "expected alternating human/gpt messages, found " + conversations.size());
    }
    return turns;
  }

  private static String message(RecordLocation location, JsonNode message, String from, int index)
      throws DatasetFormatException {
    String field = "conversations[" + index + "]";
    if (!message.isObject()) {
      throw location.fail(field, "expected an object with 'from' and 'value'");
    }
    JsonNode sender = message.get("from");
    if (sender == null || !from.equals(sender.asText())) {
      throw location.fail(field + ".from", "expected '" + from + "', found " + sender);
    }
    JsonNode value = message.get("value");
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw location.fail(field + ".value", "missing or not a non-empty string");
    }
    return value.asText();
  }

  private static List<String> distinctAnswers(List<Turn> turns) {
    TreeSet<String> answers = new TreeSet<>();
    turns.forEach(turn -> answers.add(turn.answer));
    return List.copyOf(answers);
  }

  private static Sample withAnswer(Sample sample, String answer) {
    return new Sample(
        sample.id(), sample.image(), sample.text(), sample.instruction(), answer, sample.label(),
        sample.options());
  }

  private static int lineOf(JsonLocation location) {
    return Math.max(0, location.getLineNr());
  }
}
