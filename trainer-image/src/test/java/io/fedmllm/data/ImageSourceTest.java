package io.fedmllm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourceTest {

  @Test
  void fileImageDecodesPngAndJpeg() throws IOException {
    Image png = new FileImage(Fixtures.path("hateful-memes/img/42953.png")).load();
    Image jpeg = new FileImage(Fixtures.path("jsonl/img/b.jpg")).load();
    assertEquals(16, png.getWidth());
    assertEquals(16, png.getHeight());
    assertEquals(16, jpeg.getWidth());
  }

  @Test
  void fileImageErrorNamesThePath(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.png");
    IOException error = assertThrows(IOException.class, () -> new FileImage(missing).load());
    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());

    Path notAnImage = Files.writeString(dir.resolve("text.png"), "not a picture");
    IOException corrupt = assertThrows(IOException.class, () -> new FileImage(notAnImage).load());
    assertTrue(corrupt.getMessage().contains(notAnImage.toString()), corrupt.getMessage());
  }

  @Test
  void renderedImageIsACopyOfThePixels() {
    BufferedImage picture = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    picture.setRGB(1, 2, 0x123456);
    RenderedImage rendered = RenderedImage.of("x", picture);
    picture.setRGB(1, 2, 0xFFFFFF);

    Image loaded = rendered.load();
    assertEquals(4, loaded.getWidth());
    assertEquals(3, loaded.getHeight());
    BufferedImage wrapped = (BufferedImage) loaded.getWrappedImage();
    assertEquals(0x123456, wrapped.getRGB(1, 2) & 0xFFFFFF);
    assertEquals("generated:x", rendered.describe());
  }
}
