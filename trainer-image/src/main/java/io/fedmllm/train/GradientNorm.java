package io.fedmllm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Collection;

/** Global-norm gradient clipping computed on the gradients' device; only the resulting factor reaches the heap. */
final class GradientNorm {
  private GradientNorm() {}

  /**
   * The factor that scales all gradients together to a global L2 norm of at most {@code maxNorm}: {@code maxNorm /
   * (norm + 1e-6)} when the norm exceeds it, else 1 (also when {@code maxNorm} is 0, which disables clipping).
   */
  static float clipFactor(Collection<NDArray> gradients, double maxNorm) {
    if (maxNorm <= 0) {
      return 1f;
    }
    NDList norms = new NDList(gradients.size());
    for (NDArray g : gradients) {
      norms.add(g.norm());
    }
    double norm = NDArrays.stack(norms).norm().getFloat();
    return norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
  }
}
