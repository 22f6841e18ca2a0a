package io.fedmllm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves trainable arrays and their gradients between the engine and the heap, where the pre-trainer's {@link AdamW}
 * works (its numbers are part of the cached bases' recipe). Local LoRA training keeps everything on the device
 * ({@link DeviceAdamW}, {@link GradientNorm}).
 */
final class Gradients {
  private Gradients() {}

  static Map<String, float[]> values(Map<String, NDArray> arrays) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      out.put(e.getKey(), e.getValue().toFloatArray());
    }
    return out;
  }

  /**
   * Reads each gradient to the heap and zeroes it for the next step (gradients accumulate across backward calls).
   *
   * <p>The gradient is zeroed with an in-place multiply, not {@code NDArray.set(float[])}: on the PyTorch engine
   * {@code set} re-points the tensor at a Java direct buffer owned by the short-lived gradient handle, which is freed
   * once that handle closes while the parameter's {@code .grad} still uses it (seen as a native crash).
   */
  static Map<String, float[]> take(Map<String, NDArray> arrays) {
    Map<String, float[]> grads = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray zero = null;
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        NDArray grad = e.getValue().getGradient();
        if (zero == null) {
          zero = grad.getManager().full(new Shape(), 0f);
        }
        grads.put(e.getKey(), grad.toFloatArray());
        grad.muli(zero);
      }
    }
    return grads;
  }

  /** Scales all gradients together so their global L2 norm is at most {@code maxNorm} (0 disables). */
  static void clipGlobalNorm(Map<String, float[]> grads, double maxNorm) {
    if (maxNorm <= 0) {
      return;
    }
    double squared = 0;
    for (float[] g : grads.values()) {
      for (float x : g) {
        squared += (double) x * x;
      }
    }
    double norm = Math.sqrt(squared);
    if (norm > maxNorm) {
      float factor = (float) (maxNorm / (norm + 1e-6));
      for (float[] g : grads.values()) {
        for (int i = 0; i < g.length; i++) {
          g[i] *= factor;
        }
      }
    }
  }
}
