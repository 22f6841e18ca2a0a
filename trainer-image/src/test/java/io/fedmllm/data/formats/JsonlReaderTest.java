package io.fedmllm.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {

  private final Path folder = Fixtures.path("jsonl");

  @Test
  void readsLabelledAnsweredAndOpenRecords() throws IOException {
    List<Sample> samples = new JsonlReader(folder).read(folder.resolve("train.jsonl"));

    assertEquals(4, samples.size());
    Sample byLabel = samples.get(0);
    assertEquals("red", byLabel.answer());
    assertEquals(
        "Look at the image and read the text. What colour is the sign? Options: (A) red (B) green",
        byLabel.instruction());

    Sample byAnswer = samples.get(1);
    assertEquals(Optional.of(1), byAnswer.label());
    assertFalse(byAnswer.hasText());

    Sample open = samples.get(2);
    assertEquals("3", open.id());
    assertEquals("Paris", open.answer());
    assertEquals(List.of(), open.options());
    assertEquals(Optional.empty(), open.label());
    assertEquals("Read the text. Which city is named?", open.instruction());

    assertEquals(
        "Read the text. " + JsonlReader.DEFAULT_QUESTION + " Options: (A) red (B) green",
        samples.get(3).instruction());
  }

  @Test
  void rejectsBadRecordsWithFileLineAndField(@TempDir Path dir) throws IOException {
    assertBad(dir, "{\"id\": \"a\", \"options\": [\"x\", \"y\"], \"label\": 5}", "label", "unknown label 5");
    assertBad(dir, "{\"id\": \"a\", \"options\": [\"x\", \"y\"], \"answer\": \"z\"}", "answer", "not one of");
    assertBad(
        dir, "{\"id\": \"a\", \"options\": [\"x\", \"y\"], \"label\": 0, \"answer\": \"y\"}", "answer", "disagrees");
    assertBad(dir, "{\"id\": \"a\", \"instruction\": \"q\"}", "answer", "missing");
    assertBad(dir, "{\"id\": \"a\", \"answer\": \"z\"}", "instruction", "missing");
    assertBad(dir, "{\"id\": \"a\", \"instruction\": \"q\", \"answer\": \"z\", \"label\": 0}", "label", "options");
    assertBad(dir, "{\"answer\": \"z\", \"instruction\": \"q\"}", "id", "missing");
    assertBad(dir, "{\"id\": \"a\", \"options\": \"x\", \"label\": 0}", "options", "array");
    assertBad(dir, "{\"id\": \"a\", \"options\": [\"x\"], \"label\": \"0\"}", "label", "integer");
    assertBad(dir, "{\"id\": \"a\", \"image\": \"img/none.png\", \"instruction\": \"q\", \"answer\": \"z\"}",
        "image", "image file not found");
  }

  @Test
  void trailingGarbageIsMalformed(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("data.jsonl"), "{\"id\": \"a\"} {\"id\": \"b\"}\n");
    DatasetFormatException error =
        assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file));
    assertTrue(error.getMessage().contains("data.jsonl:1: malformed JSON"), error.getMessage());
  }

  private static void assertBad(Path dir, String badLine, String field, String problem) throws IOException {
    String good = "{\"id\": \"ok\", \"instruction\": \"q\", \"answer\": \"z\"}";
    Path file = Files.write(dir.resolve("data.jsonl"), List.of(good, badLine));
    DatasetFormatException error =
        assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file), badLine);
    assertEquals(2, error.line(), badLine);
    assertEquals(Optional.of(field), error.field(), badLine);
    assertTrue(error.getMessage().contains(problem), error.getMessage());
    assertTrue(error.getMessage().startsWith(file + ":2: field '" + field + "'"), error.getMessage());
  }
}
