package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/** {@code y = x W^T (+ b)}, transformers' {@code nn.Linear}; {@code bias} is null for bias-free projections. */
public record Linear(NDArray weight, NDArray bias) {

  public static Linear load(CheckpointArrays arrays, String prefix, boolean bias) throws IOException {
    return new Linear(arrays.load(prefix + ".weight"), bias ? arrays.load(prefix + ".bias") : null);
  }

  /** {@code x} [..., in] to [..., out]. */
  public NDArray apply(NDArray x) {
    NDArray y = x.matMul(weight.transpose());
    return bias == null ? y : y.add(bias);
  }
}
