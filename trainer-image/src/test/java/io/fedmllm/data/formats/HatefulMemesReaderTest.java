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

class HatefulMemesReaderTest {

  private final Path dataset = Fixtures.path("hateful-memes");

  @Test
  void readsTheOfficialTrainFile() throws IOException {
    List<Sample> samples = new HatefulMemesReader(dataset).read("train.jsonl");

    assertEquals(6, samples.size());
    Sample first = samples.get(0);
    assertEquals("42953", first.id());
    assertEquals(Optional.of(0), first.label());
    assertEquals("not-hateful", first.answer());
    assertEquals(List.of("not-hateful", "hateful"), first.options());
    assertEquals("when the weekend finally arrives and the coffee is still warm", first.text().orElseThrow());
    assertEquals(dataset.resolve("img/42953.png"), ((io.fedmllm.data.FileImage) first.image().orElseThrow()).path());
    assertEquals(
        "Look at the image and read the text. Is this meme hateful? Options: (A) not-hateful (B) hateful",
        first.instruction());
    assertEquals("hateful", samples.get(1).answer());
    assertEquals("1235", samples.get(2).id(), "numeric ids are kept as their decimal text");
  }

  @Test
  void readsUnlabelledTestFiles() throws IOException {
    List<Sample> samples = new HatefulMemesReader(dataset).read("test_seen.jsonl");
    assertEquals(2, samples.size());
    assertFalse(samples.get(0).label().isPresent());
    assertEquals("", samples.get(0).answer());
  }

  @Test
  void malformedJsonNamesFileAndLine(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, good(1), "{\"id\": 2, \"img\": \"img/42953.png\", \"label\": 0, \"text\": \"x\"");
    assertEquals(2, error.line());
    assertTrue(error.getMessage().contains("train.jsonl:2: malformed JSON"), error.getMessage());
  }

  @Test
  void missingFieldIsNamed(@TempDir Path dir) throws IOException {
    DatasetFormatException error = readBad(dir, good(1), "", "{\"id\": 2, \"img\": \"img/42953.png\", \"label\": 0}");
    assertEquals(3, error.line(), "blank lines still count");
    assertEquals(Optional.of("text"), error.field());
    assertTrue(error.getMessage().endsWith("train.jsonl:3: field 'text': missing"), error.getMessage());
  }

  @Test
  void unknownLabelIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, "{\"id\": 2, \"img\": \"img/42953.png\", \"label\": 2, \"text\": \"x\"}");
    assertEquals(Optional.of("label"), error.field());
    assertTrue(error.getMessage().contains("unknown label 2"), error.getMessage());
  }

  @Test
  void missingImageFailsAtReadTime(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, good(1), "{\"id\": 7, \"img\": \"img/00007.png\", \"label\": 0, \"text\": \"x\"}");
    assertEquals(2, error.line());
    assertEquals(Optional.of("img"), error.field());
    assertTrue(error.getMessage().contains("image file not found"), error.getMessage());
    assertTrue(error.getMessage().contains("00007.png"), error.getMessage());
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error = readBad(dir, "[1, 2]");
    assertTrue(error.getMessage().contains("expected a JSON object"), error.getMessage());
  }

  private static String good(int id) {
    return "{\"id\": " + id + ", \"img\": \"img/42953.png\", \"label\": 0, \"text\": \"fine\"}";
  }

  private static DatasetFormatException readBad(Path dir, String... lines) throws IOException {
    Files.createDirectories(dir.resolve("img"));
    Files.copy(Fixtures.path("hateful-memes/img/42953.png"), dir.resolve("img/42953.png"));
    Path file = Files.write(dir.resolve("train.jsonl"), List.of(lines));
    DatasetFormatException error =
        assertThrows(DatasetFormatException.class, () -> new HatefulMemesReader(dir).read(file));
    assertEquals(file, error.file());
    return error;
  }
}
