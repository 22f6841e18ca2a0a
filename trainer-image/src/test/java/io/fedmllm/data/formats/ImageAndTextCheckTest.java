package io.fedmllm.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.DatasetFormat;
import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.DatasetLoader;
import io.fedmllm.data.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the readers check of a record's picture and of the file's bytes, and how they say so. */
class ImageAndTextCheckTest {

  private static final String GOOD = "{\"id\": \"ok\", \"instruction\": \"q\", \"answer\": \"z\"}";

  @Test
  void aPngThatHoldsTextIsRejectedWithFileLineAndField(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("img"));
    Files.writeString(dir.resolve("img/fake.png"), "this is not a picture\n");
    Path file = dataFile(dir, "{\"id\": \"a\", \"image\": \"img/fake.png\", \"instruction\": \"q\", \"answer\": \"z\"}");

    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file));

    assertEquals(2, e.line());
    assertEquals(Optional.of("image"), e.field());
    assertTrue(e.getMessage().startsWith(file + ":2: field 'image': "), e.getMessage());
    assertTrue(e.getMessage().contains("fake.png is not a picture"), e.getMessage());
  }

  @Test
  void aJpegCutInsideItsHeaderIsRejected(@TempDir Path dir) throws IOException {
    byte[] real = Files.readAllBytes(Fixtures.path("jsonl/img/b.jpg"));
    Files.createDirectories(dir.resolve("img"));
    Files.write(dir.resolve("img/cut.jpg"), Arrays.copyOf(real, 20));
    Path file = dataFile(dir, "{\"id\": \"a\", \"image\": \"img/cut.jpg\", \"instruction\": \"q\", \"answer\": \"z\"}");

    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file));

    assertTrue(e.getMessage().startsWith(file + ":2: field 'image': "), e.getMessage());
    assertTrue(e.getMessage().contains("cut.jpg: JPEG header is damaged"), e.getMessage());
  }

  @Test
  void aPngWithAnAbsurdSizeIsRejected(@TempDir Path dir) throws IOException {
    byte[] png = Files.readAllBytes(Fixtures.path("jsonl/img/a.png"));
    // IHDR's width is the big-endian int at byte 16 (after the 8-byte signature, length and type).
    png[16] = 0x7f;
    Files.createDirectories(dir.resolve("img"));
    Files.write(dir.resolve("img/wide.png"), png);
    Path file = dataFile(dir, "{\"id\": \"a\", \"image\": \"img/wide.png\", \"instruction\": \"q\", \"answer\": \"z\"}");

    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file));

    assertTrue(e.getMessage().startsWith(file + ":2: field 'image': "), e.getMessage());
    assertTrue(e.getMessage().contains("wide.png"), e.getMessage());
  }

  @Test
  void theFixturesPicturesPass() throws IOException {
    Path folder = Fixtures.path("jsonl");
    assertEquals(4, new JsonlReader(folder).read(folder.resolve("train.jsonl")).size());
  }

  @Test
  void aBinaryDataFileNamesTheLineOfTheFirstBadByte(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.jsonl");
    byte[] text = (GOOD + "\n" + GOOD + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(text, text.length + 4);
    bytes[text.length] = (byte) 0xff;
    bytes[text.length + 1] = (byte) 0xfe;
    Files.write(file, bytes);

    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new JsonlReader(dir).read(file));

    assertEquals(3, e.line());
    assertEquals(file + ":3: not UTF-8 text (is this a binary file?)", e.getMessage());
  }

  @Test
  void aBinaryTsvIsNotText(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("task_humanitarian_text_img_train.tsv"), new byte[] {(byte) 0xc3, 0x28, 0x0a});
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new CrisisMmdReader(dir).read(file));
    assertEquals(file + ":1: not UTF-8 text (is this a binary file?)", e.getMessage());
  }

  @Test
  void anEmptyFileHoldsNoSamples(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("train.jsonl"), "\n\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> DatasetLoader.load(DatasetFormat.JSONL, dir, "train"));
    assertEquals(file + ": no samples: the file holds no records", e.getMessage());
  }

  private static Path dataFile(Path dir, String secondLine) throws IOException {
    return Files.write(dir.resolve("data.jsonl"), List.of(GOOD, secondLine));
  }
}
