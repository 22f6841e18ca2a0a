package io.fedmllm.hf.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vision tower + connector + decoder against transformers' multimodal logits of every golden (fp32). */
class MultimodalModelTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");

  @Test
  void multimodalLogitsMatchTransformers() throws Exception {
    for (String variant : VARIANTS) {
      Path root = goldens().resolve(variant);
      TensorMap golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors();
      try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
          NDManager manager = NDManager.newBaseManager()) {
        MultimodalModel model = MultimodalModel.load(checkpoint, manager);
        NDArray logits = model.logits(ids(manager, golden), pixels(manager, golden));
        Tensor expected = golden.get("mm.logits");
        assertArrayEquals(expected.shape(), logits.getShape().getShape(), variant);
        double maxDiff = maxAbsDiff(logits.toFloatArray(), expected.data());
        assertTrue(maxDiff <= 1e-4, variant + ": logits max abs diff " + maxDiff);
      }
    }
  }

  @Test
  void imageTokensAndFeatureRowsMustAgree() throws Exception {
    Path root = goldens().resolve("llava-clip-llama");
    TensorMap golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors();
    try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
        NDManager manager = NDManager.newBaseManager()) {
      MultimodalModel model = MultimodalModel.load(checkpoint, manager);
      NDArray ids = ids(manager, golden);
      NDArray noImage = manager.create(new float[0], new Shape(0, 3, 32, 32));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.logits(ids, noImage));
      assertEquals("the prompt has 16 image tokens (id 4) but the images give 0 feature rows", e.getMessage());
      NDArray twoImages = pixels(manager, golden).repeat(0, 2);
      e = assertThrows(IllegalArgumentException.class, () -> model.logits(ids, twoImages));
      assertEquals("the prompt has 16 image tokens (id 4) but the images give 32 feature rows", e.getMessage());
    }
  }

  static NDArray ids(NDManager manager, TensorMap golden) {
    float[] ids = golden.get("mm.input_ids").data();
    long[] tokens = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      tokens[i] = (long) ids[i];
    }
    return manager.create(tokens);
  }

  /** The processor's pixel values as [N, C, H, W] (SmolVLM's [1, N, C, H, W] flattened; its masks are all ones). */
  static NDArray pixels(NDManager manager, TensorMap golden) {
    Tensor pixels = golden.get("mm.pixel_values");
    long[] shape = pixels.shape();
    if (golden.contains("mm.pixel_attention_mask")) {
      for (float m : golden.get("mm.pixel_attention_mask").data()) {
        assertEquals(1f, m, "the goldens' tiles are unpadded");
      }
    }
    long[] images = shape.length == 5 ? new long[] {shape[0] * shape[1], shape[2], shape[3], shape[4]} : shape;
    return manager.create(pixels.data(), new Shape(images));
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static Path goldens() throws URISyntaxException {
    return Path.of(MultimodalModelTest.class.getResource("/hf-goldens").toURI());
  }
}
