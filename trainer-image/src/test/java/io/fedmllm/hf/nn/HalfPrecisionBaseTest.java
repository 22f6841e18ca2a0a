package io.fedmllm.hf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.TensorNaming;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A float16 base (spec.model.baseDtype) against the float32 one on every golden, with PEFT's initial A factors and
 * fixed non-zero B factors (so every factor gets a gradient): the frozen weights really are float16, logits and LoRA
 * gradients are float32, and the loss and gradients agree with float32's within what half precision rounds (the
 * float32 path itself equals transformers + PEFT to 1e-5, PeftLoraGradientTest).
 */
class HalfPrecisionBaseTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");
  private static final double ALPHA = 8;

  private record Pass(float loss, Map<String, float[]> gradients, DataType weights, DataType logits) {}

  @Test
  void aHalfPrecisionBaseGivesFloat32LogitsAndGradientsCloseToTheFloat32Base() throws Exception {
    for (String variant : VARIANTS) {
      Pass full = pass(variant, DataType.FLOAT32);
      Pass half = pass(variant, DataType.FLOAT16);
      assertEquals(DataType.FLOAT32, full.weights(), variant);
      assertEquals(DataType.FLOAT16, half.weights(), variant);
      assertEquals(DataType.FLOAT32, half.logits(), variant);
      double lossDiff = Math.abs(half.loss() - full.loss()) / Math.abs(full.loss());
      double worst = 0;
      long zeroed = 0;
      long elements = 0;
      for (Map.Entry<String, float[]> e : full.gradients().entrySet()) {
        float[] f = e.getValue();
        float[] h = half.gradients().get(e.getKey());
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < f.length; i++) {
          scale = Math.max(scale, Math.abs(f[i]));
          diff = Math.max(diff, Math.abs(f[i] - h[i]));
          zeroed += f[i] != 0 && h[i] == 0 ? 1 : 0;
        }
        elements += f.length;
        worst = Math.max(worst, diff / scale);
      }
      System.out.printf(Locale.ROOT, "%s: float16 base vs float32: loss %.6f vs %.6f (%.1e relative), LoRA "
          + "gradients max difference %.1e of their largest element, %d of %d elements flushed to zero%n", variant,
          half.loss(), full.loss(), lossDiff, worst, zeroed, elements);
      assertTrue(lossDiff < 1e-3, variant + ": loss differs by " + lossDiff);
      assertTrue(worst < 2e-2, variant + ": gradients differ by " + worst + " of their largest element");
    }
  }

  private static Pass pass(String variant, DataType weights) throws Exception {
    Path root = goldens().resolve(variant);
    TensorMap golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors();
    try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
        NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> lora = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : golden) {
        if (e.getKey().startsWith("lora.init.")) {
          String stored = e.getKey().substring("lora.init.base_model.model.".length());
          float[] values = e.getValue().data().clone();
          if (e.getKey().contains("lora_B")) {
            // PEFT starts B at zero (no gradient for A then): fixed small non-zero values, so both factors get one
            for (int i = 0; i < values.length; i++) {
              values[i] = 0.02f * ((i * 7919 % 101) - 50) / 50f;
            }
          }
          NDArray p = manager.create(values, new Shape(e.getValue().shape()));
          p.setRequiresGradient(true);
          lora.put(TensorNaming.canonical(checkpoint.config().family(), stored).orElseThrow(), p);
        }
      }
      LoraAdapters adapters = LoraAdapters.fromArrays(lora, ALPHA);
      MultimodalModel model = MultimodalModel.load(checkpoint, manager, weights).withAdapters(adapters);
      NDArray ids = MultimodalModelTest.ids(manager, golden);
      NDArray pixels = MultimodalModelTest.pixels(manager, golden);
      float loss = PeftLoraGradientTest.backward(model, ids, pixels, golden.get("mm.labels").data(), manager);
      DataType logitsType = model.logits(ids, pixels).getDataType();
      Map<String, float[]> gradients = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> p : lora.entrySet()) {
        NDArray g = p.getValue().getGradient();
        assertEquals(DataType.FLOAT32, g.getDataType(), p.getKey());
        gradients.put(p.getKey(), g.toFloatArray());
      }
      DataType weightType = model.decoder().weightType();
      return new Pass(loss, gradients, weightType, logitsType);
    }
  }

  private static Path goldens() throws URISyntaxException {
    return Path.of(HalfPrecisionBaseTest.class.getResource("/hf-goldens").toURI());
  }
}
