package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/**
 * {@code y = x W^T (+ b) (+ LoRA)}, transformers' {@code nn.Linear} with an optional PEFT adapter; {@code bias} is null
 * for bias-free projections, {@code lora} null for layers without an adapter.
 */
public record Linear(NDArray weight, NDArray bias, LoraPair lora) {

  public Linear(NDArray weight, NDArray bias) {
    this(weight, bias, null);
  }

  public static Linear load(CheckpointArrays arrays, String prefix, boolean bias) throws IOException {
    return new Linear(arrays.load(prefix + ".weight"), bias ? arrays.load(prefix + ".bias") : null);
  }

  /** Loads {@code prefix} with the adapter {@code adapters} holds for that canonical module name, if any. */
  public static Linear load(CheckpointArrays arrays, String prefix, boolean bias, LoraAdapters adapters)
      throws IOException {
    Linear base = load(arrays, prefix, bias);
    return new Linear(base.weight, base.bias, adapters.forModule(prefix).orElse(null));
  }

  /** {@code x} [..., in] to [..., out]. */
  public NDArray apply(NDArray x) {
    NDArray y = x.matMul(weight.transpose());
    y = bias == null ? y : y.add(bias);
    return lora == null ? y : y.add(lora.delta(x));
  }
}
