package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/** {@code nn.LayerNorm} over the last axis: biased variance, learned scale and shift. */
public record LayerNorm(NDArray weight, NDArray bias, float eps) {

  public static LayerNorm load(CheckpointArrays arrays, String name, double eps) throws IOException {
    return new LayerNorm(arrays.load(name + ".weight"), arrays.load(name + ".bias"), (float) eps);
  }

  /** Computed in float32 (a half-precision input and parameters are widened) and returned in the input's type. */
  public NDArray apply(NDArray x) {
    NDArray wide = Precision.widen(x);
    NDArray centred = wide.sub(wide.mean(new int[] {-1}, true));
    NDArray variance = centred.square().mean(new int[] {-1}, true);
    NDArray out = centred.mul(variance.add(Scalars.of(wide, eps)).pow(Scalars.of(wide, -0.5f)))
        .mul(Precision.widen(weight)).add(Precision.widen(bias));
    return Precision.like(out, x);
  }
}
