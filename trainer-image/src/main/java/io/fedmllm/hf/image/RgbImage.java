package io.fedmllm.hf.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB picture, rows top to bottom, each pixel three bytes R, G, B: what PIL holds after
 * {@code convert("RGB")}, the input of every Hugging Face image processor.
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width <= 0 || height <= 0 || rgb.length != 3L * width * height) {
      throw new IllegalArgumentException(
          "RGB image " + width + "x" + height + " needs " + 3L * width * height + " bytes, got " + rgb.length);
    }
  }

  /** Decodes a PNG/JPEG/BMP/GIF file; an alpha channel is dropped as PIL's {@code convert("RGB")} drops it. */
  public static RgbImage read(Path file) throws IOException {
    BufferedImage image;
    try {
      image = ImageIO.read(Files.newInputStream(file));
    } catch (IOException e) {
      throw new IOException(file + ": not a readable image: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IOException(file + ": not an image format this JVM decodes (PNG, JPEG, BMP, GIF)");
    }
    return of(image);
  }

  /** The RGB pixels of a decoded picture (alpha dropped). */
  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[3 * w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int o = 3 * (y * w + x);
        rgb[o] = (byte) (p >> 16);
        rgb[o + 1] = (byte) (p >> 8);
        rgb[o + 2] = (byte) p;
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** The channel value 0..255 at (x, y). */
  public int value(int x, int y, int channel) {
    return rgb[3 * (y * width + x) + channel] & 0xff;
  }

  /** The sub-picture of the given size whose top-left corner is (left, top); the region must lie inside. */
  public RgbImage crop(int left, int top, int cropWidth, int cropHeight) {
    if (left < 0 || top < 0 || left + cropWidth > width || top + cropHeight > height) {
      throw new IllegalArgumentException("crop " + cropWidth + "x" + cropHeight + "+" + left + "+" + top
          + " outside the " + width + "x" + height + " image");
    }
    byte[] out = new byte[3 * cropWidth * cropHeight];
    for (int y = 0; y < cropHeight; y++) {
      System.arraycopy(rgb, 3 * ((top + y) * width + left), out, 3 * y * cropWidth, 3 * cropWidth);
    }
    return new RgbImage(cropWidth, cropHeight, out);
  }
}
