package io.fedmllm.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.FileImage;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrisisMmdReaderTest {

  private static final String HEADER = String.join("\t", CrisisMmdReader.HEADER);
  private static final String IMAGE =
      "data_image/california_wildfires/10_10_2017/917791044158185473_0.jpg";

  private final Path root = Fixtures.path("crisismmd");

  @Test
  void readsTheOfficialTsvWithLabelImageAsTheClass() throws IOException {
    Path file = root.resolve("crisismmd_datasplit_all").resolve(CrisisMmdReader.fileName("train"));
    List<Sample> samples = new CrisisMmdReader(root).read(file);

    assertEquals(6, samples.size());
    Sample first = samples.get(0);
    assertEquals("917791044158185473_0", first.id());
    assertEquals("infrastructure_and_utility_damage", first.answer());
    assertEquals(Optional.of(1), first.label());
    assertEquals(Task.CRISIS.labels(), first.options());
    assertTrue(first.text().orElseThrow().startsWith("RT @synthetic: Smoke over the hills"));
    assertEquals(root.resolve(IMAGE), ((FileImage) first.image().orElseThrow()).path());
    Sample secondImageOfTweet = samples.get(2);
    assertEquals("not_humanitarian", secondImageOfTweet.answer(), "label_image, not label or label_text");
    assertEquals("vehicle_damage", samples.get(3).answer());
  }

  @Test
  void wrongHeaderIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, HEADER.replace("label_image", "image_label"), row("not_humanitarian", IMAGE));
    assertEquals(1, error.line());
    assertTrue(error.getMessage().contains("unexpected header"), error.getMessage());
  }

  @Test
  void commaSeparatedHeaderIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error = readBad(dir, HEADER.replace('\t', ','));
    assertTrue(error.getMessage().contains("separated by tabs"), error.getMessage());
  }

  @Test
  void unknownClassNamesLineAndColumn(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, HEADER, row("not_humanitarian", IMAGE), row("caution_and_advice", IMAGE));
    assertEquals(3, error.line());
    assertEquals(Optional.of("label_image"), error.field());
    assertTrue(error.getMessage().contains("unknown class 'caution_and_advice'"), error.getMessage());
  }

  @Test
  void wrongColumnCountIsRejected(@TempDir Path dir) throws IOException {
    DatasetFormatException error = readBad(dir, HEADER, "a\tb\tc");
    assertEquals(2, error.line());
    assertTrue(error.getMessage().contains("expected 9 tab-separated columns, found 3"), error.getMessage());
  }

  @Test
  void missingImageFailsAtReadTime(@TempDir Path dir) throws IOException {
    DatasetFormatException error =
        readBad(dir, HEADER, row("not_humanitarian", "data_image/x/1_1_2017/1_0.jpg"));
    assertEquals(2, error.line());
    assertEquals(Optional.of("image"), error.field());
    assertTrue(error.getMessage().contains("1_0.jpg"), error.getMessage());
  }

  @Test
  void emptyFileIsRejected(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("empty.tsv"), "");
    DatasetFormatException error =
        assertThrows(DatasetFormatException.class, () -> new CrisisMmdReader(root).read(file));
    assertTrue(error.getMessage().contains("expected the header row"), error.getMessage());
  }

  private static String row(String labelImage, String image) {
    return String.join(
        "\t", "ev", "1", "1_0", "some tweet", image, "not_humanitarian", "not_humanitarian", labelImage,
        "Negative");
  }

  private DatasetFormatException readBad(Path dir, String... lines) throws IOException {
    Path file = Files.write(dir.resolve("task_humanitarian_text_img_train.tsv"), List.of(lines));
    return assertThrows(DatasetFormatException.class, () -> new CrisisMmdReader(root).read(file));
  }
}
