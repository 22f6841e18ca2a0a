package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.fedmllm.data.FileImage;
import io.fedmllm.data.Sample;
import io.fedmllm.data.formats.HatefulMemesReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  @Test
  void officialFormatImagesAreResizedToTheModelInput() throws Exception {
    List<Sample> memes = new HatefulMemesReader(FIXTURES.resolve("hateful-memes")).read("train.jsonl");
    try (NDManager manager = NDManager.newBaseManager()) {
      ImagePreprocessor images = new ImagePreprocessor(32, manager);
      byte[] pixels = images.pixels(memes.get(0));
      assertEquals(32 * 32 * 3, pixels.length);
      assertSame(pixels, images.pixels(memes.get(0)), "decoded once, then cached");
      float[] normalised = new float[3 * 32 * 32];
      ImagePreprocessor.normalise(pixels, 32, normalised, 0);
      for (float v : normalised) {
        assertTrue(v >= -1f && v <= 1f);
      }
      assertNull(images.pixels(memes.get(0).withoutImage()));
      Sample jpeg = new Sample("j", Optional.of(new FileImage(FIXTURES.resolve("llava/images/synpic0002.jpg"))),
          Optional.empty(), "Q?", "a", Optional.empty(), List.of());
      assertEquals(32 * 32 * 3, images.pixels(jpeg).length);
    }
  }

  @Test
  void unreadableImageNamesTheFile() {
    Sample broken = new Sample("x", Optional.of(new FileImage(FIXTURES.resolve("hateful-memes/train.jsonl"))),
        Optional.empty(), "Q?", "a", Optional.empty(), List.of());
    try (NDManager manager = NDManager.newBaseManager()) {
      UncheckedIOException e =
          assertThrows(UncheckedIOException.class, () -> new ImagePreprocessor(32, manager).pixels(broken));
      assertTrue(e.getMessage().contains("train.jsonl"), e.getMessage());
    }
  }
}
