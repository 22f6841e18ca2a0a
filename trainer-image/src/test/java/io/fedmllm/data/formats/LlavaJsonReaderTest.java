package io.fedmllm.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import io.fedmllm.data.formats.LlavaJsonReader.AnswerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlavaJsonReaderTest {

  private final Path folder = Fixtures.path("llava");

  @Test
  void everyHumanGptPairIsAClosedAnswerSample() throws IOException {
    List<Sample> samples = new LlavaJsonReader(folder, AnswerSet.CLOSED).read(folder.resolve("train.json"));

    assertEquals(4, samples.size());
    Sample first = samples.get(0);
    assertEquals("synpic0001-q1", first.id());
    assertTrue(first.hasImage());
    assertFalse(first.hasText());
    assertEquals(List.of("no", "yes"), first.options());
    assertEquals("yes", first.answer());
    assertEquals(Optional.of(1), first.label());
    assertEquals(
        "Look at the image. Is there a round spot in this scan? Options: (A) no (B) yes", first.instruction());
    assertEquals("synpic0002-q1#2", samples.get(2).id());
    assertEquals("Is the spot blue?", Prompt.body(samples.get(2)));
    Sample textOnly = samples.get(3);
    assertFalse(textOnly.hasImage());
    assertEquals("Is a round spot on a scan always a cyst? Options: (A) no (B) yes", textOnly.instruction());
  }

  @Test
  void openAnswersHaveNoOptionsAndNoLabel() throws IOException {
    List<Sample> samples = new LlavaJsonReader(folder, AnswerSet.OPEN).read(folder.resolve("train.json"));
    assertEquals(List.of(), samples.get(1).options());
    assertEquals(Optional.empty(), samples.get(1).label());
    assertEquals("no", samples.get(1).answer());
    assertEquals("Look at the image. Is the spot on the left side?", samples.get(1).instruction());
  }

  @Test
  void malformedJsonNamesTheLine(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, "[\n  {\"id\": \"a\", \"conversations\": [\n    {\"from\": \"human\" \"value\": \"q\"}]}\n]");
    assertEquals(3, error.line());
    assertTrue(error.getMessage().contains("malformed JSON"), error.getMessage());
  }

  @Test
  void wrongSpeakerNamesRecordLineAndField(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(
            dir,
            "[\n"
                + "  {\"id\": \"a\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"},"
                + " {\"from\": \"gpt\", \"value\": \"yes\"}]},\n"
                + "  {\"id\": \"b\", \"conversations\": [{\"from\": \"gpt\", \"value\": \"q\"},"
                + " {\"from\": \"gpt\", \"value\": \"yes\"}]}\n"
                + "]");
    assertEquals(3, error.line());
    assertEquals(Optional.of("conversations[0].from"), error.field());
  }

  @Test
  void missingConversationsAndMissingImageAreRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException noConversations = readBad(dir, "[{\"id\": \"a\"}]");
    assertEquals(Optional.of("conversations"), noConversations.field());
    DatasetFormatException noImage =
        readBad(
            dir,
            "[{\"id\": \"a\", \"image\": \"images/none.png\", \"conversations\": [{\"from\": \"human\","
                + " \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"yes\"}]}]");
    assertEquals(Optional.of("image"), noImage.field());
    assertTrue(noImage.getMessage().contains("none.png"), noImage.getMessage());
  }

  @Test
  void anObjectInsteadOfAnArrayIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error = readBad(dir, "{\"id\": \"a\"}");
    assertTrue(error.getMessage().contains("expected a JSON array"), error.getMessage());
  }

  private static DatasetFormatException readBad(Path dir, String json) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), json);
    return assertThrows(
        DatasetFormatException.class, () -> new LlavaJsonReader(dir, AnswerSet.CLOSED).read(file));
  }

  /** The question part of an instruction. */
  private static final class Prompt {
    static String body(Sample sample) {
      String withoutPreamble = io.fedmllm.data.Prompts.stripPreamble(sample.instruction());
      return withoutPreamble.substring(0, withoutPreamble.indexOf(" Options:"));
    }
  }
}
