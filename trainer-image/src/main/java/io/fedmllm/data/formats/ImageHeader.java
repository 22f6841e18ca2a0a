package io.fedmllm.data.formats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What a dataset reader checks of each picture when it reads the record naming it: that the file starts with the
 * signature of a format ImageIO decodes (PNG, JPEG, GIF, BMP, TIFF; DJL's image factory decodes through ImageIO) and
 * that its header gives a width and height from 1 to {@value #MAX_SIDE} pixels. Only the header is read: a full decode
 * costs about 100 times more (23 ms against 0.24 ms per 550x550 picture, measured on 300 PNG and JPEG files), which
 * for a dataset of 8,500 memes is minutes before training instead of seconds, and training decodes each picture anyway.
 */
final class ImageHeader {

  /** The largest side accepted; far above any model's input, small enough that decoding cannot exhaust memory. */
  static final int MAX_SIDE = 16384;

  private ImageHeader() {}

  /** The problem with the picture at {@code path} in a few words, or empty when its header is sound. */
  static Optional<String> problem(Path path) {
    try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
      if (in == null) {
        return Optional.of("cannot open " + path);
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.of(path + " is not a picture (no PNG, JPEG, GIF, BMP or TIFF signature)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
          return Optional.of(path + ": " + format + " of " + width + "x" + height + " pixels, expected sides from 1"
              + " to " + MAX_SIDE);
        }
        return Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.of(path + ": " + reader.getFormatName().toUpperCase(Locale.ROOT)
            + " header is damaged (" + e.getMessage() + ")");
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      return Optional.of("cannot read " + path + ": " + e.getMessage());
    }
  }
}
