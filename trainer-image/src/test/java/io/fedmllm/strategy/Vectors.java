package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import java.util.Random;

/** Small adapters for hand-computed strategy tests: one tensor named "w" holding the given values. */
final class Vectors {

  private Vectors() {}

  static TensorMap vec(float... values) {
    return TensorMap.builder().put("w", new Tensor(new long[] {values.length}, values)).build();
  }

  static float[] values(TensorMap m) {
    return m.get("w").data();
  }

  static void assertValues(double[] expected, TensorMap actual, String what) {
    float[] got = values(actual);
    assertEquals(expected.length, got.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 1e-6, what + "[" + i + "]");
    }
  }

  static ClientUpdate update(String id, long samples, float... weights) {
    return ClientUpdate.of(id, vec(weights), samples);
  }

  /** A multi-tensor adapter layout with pseudo-random values. */
  static TensorMap random(long seed, float scale) {
    Random r = new Random(seed);
    TensorMap.Builder b = TensorMap.builder();
    for (Map.Entry<String, long[]> e : Map.of("a.lora_A", new long[] {2, 5}, "a.lora_B", new long[] {5, 2},
        "b.lora_A", new long[] {2, 3}).entrySet()) {
      long[] shape = e.getValue();
      float[] data = new float[(int) (shape[0] * shape[1])];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (r.nextGaussian() * scale);
      }
      b.put(e.getKey(), new Tensor(shape, data));
    }
    return b.build();
  }

  /** Round {@code round}'s update of client {@code k}: global plus noise, deterministic. */
  static ClientUpdate randomUpdate(TensorMap global, int round, int k, boolean withControl) {
    TensorMap noise = random(1000L * round + k, 0.01f);
    TensorMap.Builder b = TensorMap.builder();
    for (Map.Entry<String, Tensor> e : global) {
      float[] g = e.getValue().data();
      float[] n = noise.get(e.getKey()).data();
      float[] w = new float[g.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = g[i] + n[i];
      }
      b.put(e.getKey(), new Tensor(e.getValue().shape(), w));
    }
    String id = String.format("client-%02d", k);
    TensorMap control = withControl ? random(7_000L * round + k, 0.1f) : TensorMap.empty();
    return new ClientUpdate(id, b.build(), 10 + k, control);
  }
}
