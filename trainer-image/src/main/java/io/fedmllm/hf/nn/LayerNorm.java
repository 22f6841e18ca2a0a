package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/** {@code nn.LayerNorm} over the last axis: biased variance, learned scale and shift. */
public record LayerNorm(NDArray weight, NDArray bias, float eps) {

  public static LayerNorm load(CheckpointArrays arrays, String name, double eps) throws IOException {
    return new LayerNorm(arrays.load(name + ".weight"), arrays.load(name + ".bias"), (float) eps);
  }

  public NDArray apply(NDArray x) {
    NDArray centred = x.sub(x.mean(new int[] {-1}, true));
    NDArray variance = centred.square().mean(new int[] {-1}, true);
    return centred.mul(variance.add(Scalars.of(x, eps)).pow(Scalars.of(x, -0.5f))).mul(weight).add(bias);
  }
}
