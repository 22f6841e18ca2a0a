package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;
import java.util.List;

/**
 * Per-element double-precision sums over the tensors of one layout: the only per-client memory an aggregation
 * needs. Adds {@code scale * (x - minus)} element-wise.
 */
final class RunningSum {

  private final List<String> names;
  private final double[][] sums;

  RunningSum(TensorMap layout) {
    this.names = layout.names();
    this.sums = new double[names.size()][];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = new double[layout.get(names.get(i)).size()];
    }
  }

  /** Adds {@code scale * x}. */
  void add(TensorMap x, double scale) {
    for (int t = 0; t < sums.length; t++) {
      float[] xs = x.get(names.get(t)).data();
      double[] s = sums[t];
      for (int i = 0; i < s.length; i++) {
        s[i] += scale * xs[i];
      }
    }
  }

  /** Adds {@code scale * (x - minus)}, the difference taken in double precision. */
  void addDifference(TensorMap x, TensorMap minus, double scale) {
    for (int t = 0; t < sums.length; t++) {
      String name = names.get(t);
      float[] xs = x.get(name).data();
      float[] ms = minus.get(name).data();
      double[] s = sums[t];
      for (int i = 0; i < s.length; i++) {
        s[i] += scale * ((double) xs[i] - (double) ms[i]);
      }
    }
  }

  /** Tensor names, in the order of {@link #sum(int)}. */
  List<String> names() {
    return names;
  }

  /** The sums of the {@code index}-th tensor (live array). */
  double[] sum(int index) {
    return sums[index];
  }
}
