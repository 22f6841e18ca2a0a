package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedmllm.hf.image.PilResampler;
import io.fedmllm.hf.image.ResampleFilter;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.tensor.SafetensorsEntry;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Every PIL filter against {@code PIL.Image.resize} (Pillow 13.0.0) on the processor-case pictures, in both pass
 * orders, up- and downscaling and with one axis unchanged: byte-identical RGB.
 */
class PilResamplerTest {

  @Test
  void everyFilterEqualsPillow() throws IOException {
    int compared = 0;
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(
        Goldens.root().resolve("processor-cases").resolve("resized.safetensors"))) {
      for (SafetensorsEntry entry : reader.entries()) {
        String[] parts = entry.name().split("\\.");
        String[] size = parts[2].split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        ResampleFilter filter = ResampleFilter.valueOf(parts[1].toUpperCase(Locale.ROOT));
        RgbImage out = PilResampler.resize(ProcessorCases.image(parts[0]), width, height, filter);
        Tensor expected = reader.read(entry.name());
        assertArrayEquals(new long[] {height, width, 3}, expected.shape(), entry.name());
        int[] want = new int[expected.data().length];
        int[] got = new int[want.length];
        for (int i = 0; i < want.length; i++) {
          want[i] = (int) expected.data()[i];
          got[i] = out.rgb()[i] & 0xff;
        }
        assertArrayEquals(want, got, entry.name());
        compared++;
      }
    }
    assertEquals(5 * 8, compared, "resized pictures in the goldens");
  }
}
