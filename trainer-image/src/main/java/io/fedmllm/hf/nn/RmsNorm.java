package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/** Llama's RMSNorm: {@code weight * x / sqrt(mean(x^2) + eps)} over the last axis, computed in float32. */
public record RmsNorm(NDArray weight, float eps) {

  public static RmsNorm load(CheckpointArrays arrays, String name, double eps) throws IOException {
    return new RmsNorm(arrays.load(name + ".weight"), (float) eps);
  }

  public NDArray apply(NDArray x) {
    NDArray variance = x.square().mean(new int[] {-1}, true);
    return x.mul(variance.add(Scalars.of(x, eps)).pow(Scalars.of(x, -0.5f))).mul(weight);
  }
}
