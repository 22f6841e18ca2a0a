package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Sample;
import io.fedmllm.hf.image.ImageProcessor;
import io.fedmllm.hf.image.ProcessedImage;
import io.fedmllm.model.ModelFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The processed-image cache keeps what fits its byte budget, most recently used last out, and nothing beyond it. */
class HfImagesTest {

  @Test
  void keepsImagesWithinItsBudgetEvictingTheLeastRecentlyUsed() throws Exception {
    ImageProcessor processor = new ImageProcessor(ImageProcessorConfig.read(Goldens.checkpoint("smolvlm")));
    List<Sample> withImages = ModelFixtures.mixedSamples(9).stream().filter(Sample::hasImage).toList();
    long one = 4L * new HfImages(processor).pixels(withImages.get(0)).pixelValues().length;
    HfImages images = new HfImages(processor, 2 * one);
    ProcessedImage first = images.pixels(withImages.get(0));
    images.pixels(withImages.get(1));
    assertSame(first, images.pixels(withImages.get(0)), "a cached image is not processed again");
    images.pixels(withImages.get(2));
    assertEquals(2 * one, images.cachedBytes());
    assertSame(first, images.pixels(withImages.get(0)), "the most recently used stays");
    assertTrue(images.pixels(withImages.get(1)) != null);
    HfImages none = new HfImages(processor, 0);
    none.pixels(withImages.get(0));
    assertEquals(0, none.cachedBytes(), "a zero budget keeps nothing");
  }
}
