package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/**
 * Llama's RMSNorm: {@code weight * x / sqrt(mean(x^2) + eps)} over the last axis, computed in float32 and narrowed
 * back to the input's type before the weight, as transformers' {@code LlamaRMSNorm} does.
 */
public record RmsNorm(NDArray weight, float eps) {

  public static RmsNorm load(CheckpointArrays arrays, String name, double eps) throws IOException {
    return new RmsNorm(arrays.load(name + ".weight"), (float) eps);
  }

  public NDArray apply(NDArray x) {
    NDArray wide = Precision.widen(x);
    NDArray variance = wide.square().mean(new int[] {-1}, true);
    NDArray normed = wide.mul(variance.add(Scalars.of(wide, eps)).pow(Scalars.of(wide, -0.5f)));
    return Precision.like(normed, x).mul(weight);
  }
}
