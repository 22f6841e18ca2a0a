package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter gradients the engine computes agree with central finite differences of the loss. Guards against the
 * DJL pitfalls that corrupt gradients silently (freed scalar operands, arrays closed before backward).
 */
class LoraGradientTest {
  private static final LoraConfig LORA = LoraConfig.paperDefault();
  private static BaseModel base;
  private static Batch batch;
  private static TensorMap adapter;

  @BeforeAll
  static void setUp() {
    base = ModelFixtures.tinyBase(11);
    batch = base.batch(ModelFixtures.mixedSamples(4), base.newImagePreprocessor());
    // Non-zero B everywhere so that both A and B receive gradient.
    TensorMap fresh = LoraWeights.initialTensors(base.config(), LORA, 2);
    SplittableRandom random = new SplittableRandom(5);
    TensorMap.Builder b = TensorMap.builder();
    for (var e : fresh) {
      float[] v = e.getValue().data().clone();
      if (e.getKey().endsWith("lora_B.weight")) {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (random.nextGaussian() * 0.2);
        }
      }
      b.put(e.getKey(), new Tensor(e.getValue().shape(), v));
    }
    adapter = b.build();
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static double loss(TensorMap weights) {
    try (NDManager m = base.manager().newSubManager();
        LoraWeights lora = LoraWeights.fromTensors(base, LORA, weights, m)) {
      ForwardContext ctx = ForwardContext.inference(m, lora);
      NDList in = batch.inputs(m);
      NDArray logits = base.lm().logits(ctx, in.get(0), in.get(1), in.get(2), in.get(3));
      return LanguageModelLoss.meanCrossEntropy(ctx, logits, batch.targets(m), batch.lossMask(m), batch.scoredTokens())
          .getFloat();
    }
  }

  private static TensorMap nudged(String name, int index, float delta) {
    Tensor t = adapter.get(name);
    float[] v = t.data().clone();
    v[index] += delta;
    return adapter.with(name, new Tensor(t.shape(), v));
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    String[] names = {LoraNames.a(0, "q_proj"), LoraNames.b(1, "v_proj"), LoraNames.b(3, "o_proj"),
        LoraNames.a(2, "k_proj")};
    float[][] grads = new float[names.length][];
    try (NDManager m = base.manager().newSubManager();
        LoraWeights lora = LoraWeights.fromTensors(base, LORA, adapter, m)) {
      lora.requireGradients();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        ForwardContext ctx = ForwardContext.inference(m, lora);
        NDList in = batch.inputs(m);
        NDArray logits = base.lm().logits(ctx, in.get(0), in.get(1), in.get(2), in.get(3));
        collector.backward(
            LanguageModelLoss.meanCrossEntropy(ctx, logits, batch.targets(m), batch.lossMask(m), batch.scoredTokens()));
      }
      for (int i = 0; i < names.length; i++) {
        grads[i] = lora.arrays().get(names[i]).getGradient().toFloatArray();
      }
    }
    int checked = 0;
    float eps = 1e-2f;
    for (int n = 0; n < names.length; n++) {
      float[] g = grads[n];
      // the three largest-magnitude entries of each tensor: well above finite-difference noise
      Integer[] order = java.util.stream.IntStream.range(0, g.length).boxed().toArray(Integer[]::new);
      java.util.Arrays.sort(order, (x, y) -> Float.compare(Math.abs(g[y]), Math.abs(g[x])));
      for (int k = 0; k < 3; k++) {
        int i = order[k];
        double numeric = (loss(nudged(names[n], i, eps)) - loss(nudged(names[n], i, -eps))) / (2 * eps);
        assertEquals(numeric, g[i], Math.max(2e-3, 0.05 * Math.abs(numeric)), names[n] + "[" + i + "]");
        checked++;
      }
    }
    assertTrue(checked == 12);
  }
}
