package io.fedmllm.hf.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.RopeParameters;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decoder against transformers' text-only logits and loss of every golden checkpoint (fp32). */
class LlamaDecoderTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");

  @Test
  void textLogitsAndLossMatchTransformers() throws Exception {
    for (String variant : VARIANTS) {
      Path root = goldens().resolve(variant);
      TensorMap golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors();
      try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
          NDManager manager = NDManager.newBaseManager()) {
        LlamaDecoder decoder = LlamaDecoder.load(new CheckpointArrays(checkpoint, manager), checkpoint.config().text());
        Tensor expected = golden.get("text.logits");
        float[] ids = golden.get("text.input_ids").data();
        long[] tokens = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
          tokens[i] = (long) ids[i];
        }
        NDArray input = manager.create(tokens, new Shape(1, tokens.length));
        NDArray logits = decoder.logits(decoder.embed(input)).squeeze(0);
        assertArrayEquals(expected.shape(), logits.getShape().getShape(), variant);
        float[] actual = logits.toFloatArray();
        double maxDiff = 0;
        for (int i = 0; i < actual.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected.data()[i]));
        }
        assertTrue(maxDiff <= 1e-4, variant + ": logits max abs diff " + maxDiff);

        float loss = causalLoss(logits, golden.get("text.labels").data());
        assertEquals(golden.get("text.loss").data()[0], loss, 1e-5, variant + " loss");
      }
    }
  }

  @Test
  void rotaryTablesPairElementIWithIPlusHalf() {
    RotaryEmbedding rope = new RotaryEmbedding(4, new RopeParameters(100.0, "default", Map.of()));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray[] t = rope.tables(manager, 3);
      float[] cos = t[0].toFloatArray();
      // position 2: angles 2 * 100^0 and 2 * 100^-0.5, repeated over both halves
      assertEquals((float) Math.cos(2), cos[8], 1e-7);
      assertEquals((float) Math.cos(0.2), cos[9], 1e-7);
      assertEquals(cos[8], cos[10]);
      assertEquals(cos[9], cos[11]);
      NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 1, 4));
      NDArray[] one = rope.tables(manager, 2);
      NDArray rotated = RotaryEmbedding.apply(x, one[0].get("1:2, :"), one[1].get("1:2, :"));
      float c = (float) Math.cos(1);
      float s = (float) Math.sin(1);
      assertArrayEquals(new float[] {1 * c - 3 * s, 2 * (float) Math.cos(0.1) - 4 * (float) Math.sin(0.1),
          3 * c + 1 * s, 4 * (float) Math.cos(0.1) + 2 * (float) Math.sin(0.1)}, rotated.toFloatArray(), 1e-6f);
    }
  }

  /** Mean cross entropy of logits[t] predicting labels[t+1], positions with label -100 excluded. */
  private static float causalLoss(NDArray logits, float[] labels) {
    NDArray logProbs = logits.logSoftmax(-1);
    double sum = 0;
    int counted = 0;
    for (int t = 0; t + 1 < labels.length; t++) {
      int target = (int) labels[t + 1];
      if (target == -100) {
        continue;
      }
      sum -= logProbs.getFloat(t, target);
      counted++;
    }
    return (float) (sum / counted);
  }

  private static Path goldens() throws URISyntaxException {
    return Path.of(LlamaDecoderTest.class.getResource("/hf-goldens").toURI());
  }
}
