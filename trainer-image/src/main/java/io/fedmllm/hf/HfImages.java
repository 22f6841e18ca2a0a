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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client's images, decoded and run through the checkpoint's image processor, kept while they fit in a byte
 * budget (least recently used first out). A real checkpoint's processed image is large (SmolVLM splits a picture into
 * up to 17 tiles of 512 x 512 floats, 51 MB), so an unbounded cache would hold a whole dataset's pixels in memory.
 */
final class HfImages implements SampleImages {

  /** Default budget of processed pixels kept per client, in bytes; {@code FEDMLLM_IMAGE_CACHE_MB} overrides it. */
  static final long DEFAULT_BUDGET_BYTES = 1024L << 20;

  private final ImageProcessor processor;
  private final long budgetBytes;
  private final LinkedHashMap<String, ProcessedImage> cache = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes;

  HfImages(ImageProcessor processor) {
    this(processor, budgetFromEnvironment());
  }

  HfImages(ImageProcessor processor, long budgetBytes) {
    this.processor = processor;
    this.budgetBytes = budgetBytes;
  }

  private static long budgetFromEnvironment() {
    String mb = System.getenv("FEDMLLM_IMAGE_CACHE_MB");
    if (mb == null || mb.isBlank()) {
      return DEFAULT_BUDGET_BYTES;
    }
    try {
      return Math.max(0, Long.parseLong(mb.strip())) << 20;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("FEDMLLM_IMAGE_CACHE_MB: '" + mb + "' is not a whole number of MiB");
    }
  }

  /** The processed pixels of the sample's image; the sample must have one. */
  synchronized ProcessedImage pixels(Sample sample) {
    ImageSource source = sample.image().orElseThrow(
        () -> new IllegalArgumentException("sample " + sample.id() + " has no image"));
    ProcessedImage cached = cache.get(source.describe());
    if (cached != null) {
      return cached;
    }
    ProcessedImage processed = processor.process(decode(source));
    long bytes = 4L * processed.pixelValues().length;
    if (bytes <= budgetBytes) {
      cache.put(source.describe(), processed);
      cachedBytes += bytes;
      Iterator<Map.Entry<String, ProcessedImage>> oldest = cache.entrySet().iterator();
      while (cachedBytes > budgetBytes && oldest.hasNext()) {
        cachedBytes -= 4L * oldest.next().getValue().pixelValues().length;
        oldest.remove();
      }
    }
    return processed;
  }

  /** Bytes of processed pixels held now. */
  synchronized long cachedBytes() {
    return cachedBytes;
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
