package io.fedmllm.hf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.TensorNaming;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PEFT's LoRA (r 4, alpha 8, q/k/v/o of the decoder) on every golden: the multimodal loss, its gradients at init
 * and after one SGD step (lr 0.05) match PEFT's (loss 1e-5, gradients 1e-4 relative to the largest element).
 */
class PeftLoraGradientTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");
  private static final double ALPHA = 8;
  private static final float LR = 0.05f;

  @Test
  void gradientsAtInitAndAfterOneStepMatchPeft() throws Exception {
    for (String variant : VARIANTS) {
      Path root = goldens().resolve(variant);
      TensorMap golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors();
      try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
          NDManager manager = NDManager.newBaseManager()) {
        Map<String, String> pefTKeyByCanonical = new LinkedHashMap<>();
        Map<String, NDArray> lora = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : golden) {
          if (e.getKey().startsWith("lora.init.")) {
            String peftKey = e.getKey().substring("lora.init.".length());
            String canonical = canonical(checkpoint, peftKey);
            pefTKeyByCanonical.put(canonical, peftKey);
            NDArray p = manager.create(e.getValue().data(), new Shape(e.getValue().shape()));
            p.setRequiresGradient(true);
            lora.put(canonical, p);
          }
        }
        assertEquals(16, lora.size(), variant);
        MultimodalModel model = MultimodalModel.load(checkpoint, manager, LoraAdapters.fromArrays(lora, ALPHA));
        NDArray ids = MultimodalModelTest.ids(manager, golden);
        NDArray pixels = MultimodalModelTest.pixels(manager, golden);
        float[] labels = golden.get("mm.labels").data();

        float loss0 = backward(model, ids, pixels, labels, manager);
        assertEquals(golden.get("mm.loss").data()[0], loss0, 1e-5, variant + " loss at init");
        for (Map.Entry<String, NDArray> p : lora.entrySet()) {
          String peftKey = pefTKeyByCanonical.get(p.getKey());
          assertClose(golden.get("lora.grad0." + peftKey), p.getValue().getGradient().toFloatArray(),
              variant + " grad0 " + peftKey);
        }
        // one SGD step on the heap, p - lr * g in float32 as torch computes it; fresh leaves for the next pass
        Map<String, NDArray> stepped = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : lora.entrySet()) {
          float[] values = p.getValue().toFloatArray();
          float[] grad = p.getValue().getGradient().toFloatArray();
          for (int i = 0; i < values.length; i++) {
            values[i] = values[i] - LR * grad[i];
          }
          NDArray next = manager.create(values, p.getValue().getShape());
          next.setRequiresGradient(true);
          stepped.put(p.getKey(), next);
        }
        lora = stepped;
        model = MultimodalModel.load(checkpoint, manager, LoraAdapters.fromArrays(lora, ALPHA));
        float loss1 = backward(model, ids, pixels, labels, manager);
        assertEquals(golden.get("lora.loss1").data()[0], loss1, 1e-5, variant + " loss after one step");
        for (Map.Entry<String, NDArray> p : lora.entrySet()) {
          String peftKey = pefTKeyByCanonical.get(p.getKey());
          assertClose(golden.get("lora.grad1." + peftKey), p.getValue().getGradient().toFloatArray(),
              variant + " grad1 " + peftKey);
        }
      }
    }
  }

  @Test
  void anAdapterForAModuleTheDecoderLacksIsAnError() throws Exception {
    Path root = goldens().resolve("smolvlm");
    try (HfCheckpoint checkpoint = HfCheckpoint.open(root.resolve("checkpoint"), r -> {});
        NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> lora = Map.of(
          "text.layers.7.self_attn.q_proj.lora_A.weight", manager.zeros(new Shape(4, 64)),
          "text.layers.7.self_attn.q_proj.lora_B.weight", manager.zeros(new Shape(64, 4)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MultimodalModel.load(checkpoint, manager, LoraAdapters.fromArrays(lora, ALPHA)));
      assertEquals("LoRA adapters for modules the decoder does not have: [text.layers.7.self_attn.q_proj]",
          e.getMessage());
    }
  }

  /** Mean cross entropy of logits[t] predicting labels[t+1] (label -100 excluded), back-propagated. */
  static float backward(MultimodalModel model, NDArray ids, NDArray pixels, float[] labels,
      NDManager manager) {
    int n = labels.length - 1;
    long[] targets = new long[n];
    float[] mask = new float[n];
    int counted = 0;
    for (int t = 0; t < n; t++) {
      int label = (int) labels[t + 1];
      targets[t] = label < 0 ? 0 : label;
      mask[t] = label < 0 ? 0 : 1;
      counted += label < 0 ? 0 : 1;
    }
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray logits = model.logits(ids, pixels).get("0:" + n + ", :");
      NDArray picked = logits.logSoftmax(-1).gather(manager.create(targets).expandDims(-1), -1).squeeze(-1);
      NDArray loss = picked.mul(manager.create(mask)).sum().mul(-1f / counted);
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  private static void assertClose(Tensor expected, float[] actual, String what) {
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < actual.length; i++) {
      scale = Math.max(scale, Math.abs(expected.data()[i]));
      diff = Math.max(diff, Math.abs(expected.data()[i] - actual[i]));
    }
    assertEquals(expected.data().length, actual.length, what);
    assertTrue(diff <= 1e-4 * scale || (scale == 0 && diff == 0), what + ": max diff " + diff + " vs max " + scale);
  }

  /** PEFT's file key ({@code base_model.model.model.language_model.layers...}) as a canonical name. */
  private static String canonical(HfCheckpoint checkpoint, String peftKey) {
    String stored = peftKey.substring("base_model.model.".length());
    return TensorNaming.canonical(checkpoint.config().family(), stored).orElseThrow();
  }

  private static Path goldens() throws URISyntaxException {
    return Path.of(PeftLoraGradientTest.class.getResource("/hf-goldens").toURI());
  }
}
