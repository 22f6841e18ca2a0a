package io.fedmllm.hf;

import ai.djl.modality.cv.Image;
import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Sample;
import io.fedmllm.hf.image.ImageProcessor;
import io.fedmllm.hf.image.ProcessedImage;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.model.SampleImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One client's images, decoded and run through the checkpoint's image processor once each. */
final class HfImages implements SampleImages {

  private final ImageProcessor processor;
  private final Map<String, ProcessedImage> cache = new ConcurrentHashMap<>();

  HfImages(ImageProcessor processor) {
    this.processor = processor;
  }

  /** The processed pixels of the sample's image; the sample must have one. */
  ProcessedImage pixels(Sample sample) {
    ImageSource source = sample.image().orElseThrow(
        () -> new IllegalArgumentException("sample " + sample.id() + " has no image"));
    return cache.computeIfAbsent(source.describe(), key -> processor.process(decode(source)));
  }

  private static RgbImage decode(ImageSource source) {
    Image image;
    try {
      image = source.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + source.describe() + ": " + e.getMessage(), e);
    }
    if (!(image.getWrappedImage() instanceof BufferedImage buffered)) {
      throw new IllegalStateException("image " + source.describe() + " was not decoded to a java.awt image");
    }
    return RgbImage.of(buffered);
  }
}
