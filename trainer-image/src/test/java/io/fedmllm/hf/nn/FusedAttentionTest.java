package io.fedmllm.hf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fused kernel against the composed attention it replaces: outputs and gradients for q, k and v. */
class FusedAttentionTest {

  @Test
  void causalAndFullAttentionAndTheirGradientsEqualTheComposedOnes() {
    for (boolean causal : new boolean[] {true, false}) {
      float[][] fused = run(causal, true);
      float[][] composed = run(causal, false);
      for (int i = 0; i < fused.length; i++) {
        double scale = 0;
        double diff = 0;
        for (int j = 0; j < fused[i].length; j++) {
          scale = Math.max(scale, Math.abs(composed[i][j]));
          diff = Math.max(diff, Math.abs(fused[i][j] - composed[i][j]));
        }
        assertTrue(scale > 0);
        assertTrue(diff <= 1e-5 * scale, (causal ? "causal" : "full") + " tensor " + i + ": " + diff + " of " + scale);
      }
    }
  }

  /** Output, then the gradients of q, k, v for sum(out * w). */
  private static float[][] run(boolean causal, boolean fused) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Random random = new Random(3);
      Shape shape = new Shape(2, 3, 7, 8);
      NDArray[] qkv = new NDArray[3];
      for (int i = 0; i < 3; i++) {
        float[] values = new float[(int) shape.size()];
        for (int j = 0; j < values.length; j++) {
          values[j] = (float) random.nextGaussian();
        }
        qkv[i] = manager.create(values, shape);
        qkv[i].setRequiresGradient(true);
      }
      NDArray weights = manager.arange((float) shape.size()).reshape(shape).sin();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = fused
            ? (causal ? FusedAttention.causal(qkv[0], qkv[1], qkv[2]) : FusedAttention.full(qkv[0], qkv[1], qkv[2]))
            : composed(qkv[0], qkv[1], qkv[2], causal, manager);
        assertEquals(shape, out.getShape());
        collector.backward(out.mul(weights).sum());
        return new float[][] {out.toFloatArray(), qkv[0].getGradient().toFloatArray(),
            qkv[1].getGradient().toFloatArray(), qkv[2].getGradient().toFloatArray()};
      }
    }
  }

  private static NDArray composed(NDArray q, NDArray k, NDArray v, boolean causal, NDManager manager) {
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(manager.create((float) Math.pow(8, -0.5)));
    if (causal) {
      scores = scores.add(LlamaDecoder.causalMask(manager, 7));
    }
    return scores.softmax(-1).matMul(v);
  }
}
