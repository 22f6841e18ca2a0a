package io.fedmllm.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A picture held in memory (or rendered on demand by a deterministic renderer), as produced by the synthetic
 * generator. Every {@link #load()} returns a fresh copy, so callers may draw on or resize it freely.
 */
public final class RenderedImage implements ImageSource {

  private final String name;
  private final Supplier<BufferedImage> renderer;

  private RenderedImage(String name, Supplier<BufferedImage> renderer) {
    this.name = Objects.requireNonNull(name, "name");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  /** Wraps a picture that already exists; it is copied so later changes to {@code image} do not leak in. */
  public static RenderedImage of(String name, BufferedImage image) {
    BufferedImage frozen = copy(image);
    return new RenderedImage(name, () -> frozen);
  }

  /**
   * A picture rendered on each load by {@code renderer}, which must be deterministic. Keeps large synthetic
   * datasets cheap: only the scene description stays in memory.
   */
  public static RenderedImage lazy(String name, Supplier<BufferedImage> renderer) {
    return new RenderedImage(name, renderer);
  }

  @Override
  public Image load() {
    return ImageFactory.getInstance().fromImage(toBufferedImage());
  }

  /** A fresh RGB copy of the pixels. */
  public BufferedImage toBufferedImage() {
    return copy(renderer.get());
  }

  @Override
  public String describe() {
    return "generated:" + name;
  }

  private static BufferedImage copy(BufferedImage source) {
    BufferedImage copy =
        new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    int width = source.getWidth();
    int height = source.getHeight();
    copy.setRGB(0, 0, width, height, source.getRGB(0, 0, width, height, null, 0, width), 0, width);
    return copy;
  }
}
