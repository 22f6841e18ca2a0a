package io.fedmllm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetLoaderTest {

  @Test
  void loadsEveryFormatFromItsUsualLayout() throws IOException {
    assertEquals(6, load("hateful-memes", Fixtures.path("hateful-memes"), "train").size());
    assertEquals(2, load("hateful-memes", Fixtures.path("hateful-memes"), "dev").size());
    assertEquals(2, load("hateful-memes", Fixtures.path("hateful-memes/test_seen.jsonl"), "ignored").size());
    assertEquals(6, load("crisismmd", Fixtures.path("crisismmd"), "train").size());
    assertEquals(2, load("crisismmd", Fixtures.path("crisismmd"), "dev").size());
    assertEquals(3, load("crisismmd", Fixtures.path("crisismmd"), "test").size());
    assertEquals(4, load("llava", Fixtures.path("llava"), "train").size());
    assertEquals(4, load("llava", Fixtures.path("llava/train.json"), "ignored").size());
    assertEquals(4, load("jsonl", Fixtures.path("jsonl"), "train").size());
  }

  @Test
  void testSplitOfHatefulMemesIsUnlabelled() throws IOException {
    List<Sample> test = load("hateful-memes", Fixtures.path("hateful-memes"), "test");
    assertTrue(test.stream().allMatch(sample -> sample.label().isEmpty()));
  }

  @Test
  void syntheticTakesAGeneratorSpecInsteadOfAPath() throws IOException {
    List<Sample> pool = load("synthetic", Path.of("crisis,seed=3,count=40"), "pool");
    assertEquals(40, pool.size());
    assertEquals(Task.CRISIS.labels(), pool.get(0).options());
    assertEquals(15, load("synthetic", Path.of("hateful,count=15"), "public").size());
  }

  @Test
  void missingSplitFileIsAFormatErrorNamingThePath() {
    DatasetFormatException error =
        assertThrows(
            DatasetFormatException.class, () -> load("crisismmd", Fixtures.path("crisismmd"), "validation"));
    assertTrue(error.getMessage().contains("task_humanitarian_text_img_validation.tsv"), error.getMessage());
    DatasetFormatException hateful =
        assertThrows(
            DatasetFormatException.class, () -> load("hateful-memes", Fixtures.path("hateful-memes"), "nope"));
    assertTrue(hateful.getMessage().contains("nope.jsonl: file not found"), hateful.getMessage());
  }

  @Test
  void unknownFormatNameListsTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DatasetFormat.fromName("coco"));
    assertTrue(
        error.getMessage().contains("hateful-memes, crisismmd, llava, jsonl, synthetic"), error.getMessage());
    assertEquals(DatasetFormat.HATEFUL_MEMES, DatasetFormat.fromName("Hateful-Memes"));
  }

  private static List<Sample> load(String format, Path path, String split) throws IOException {
    return DatasetLoader.load(DatasetFormat.fromName(format), path, split);
  }
}
