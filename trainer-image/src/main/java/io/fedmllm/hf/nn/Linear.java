package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/**
 * {@code y = x W^T (+ b) (+ LoRA)}, transformers' {@code nn.Linear} under its canonical module name ({@code
 * text.layers.0.self_attn.q_proj}); {@code bias} is null for bias-free projections. The weights are the frozen base;
 * a LoRA adapter comes with each forward pass ({@link #apply(NDArray, LoraAdapters)}), so one loaded base serves any
 * number of adapters.
 */
public record Linear(String module, NDArray weight, NDArray bias) {

  public static Linear load(CheckpointArrays arrays, String module, boolean bias) throws IOException {
    return new Linear(module, arrays.load(module + ".weight"), bias ? arrays.load(module + ".bias") : null);
  }

  /** {@code x} [..., in] to [..., out], without adapter. */
  public NDArray apply(NDArray x) {
    NDArray y = x.matMul(weight.transpose());
    return bias == null ? y : y.add(bias);
  }

  /**
   * As {@link #apply(NDArray)}, plus the adapter {@code adapters} holds for this module, if any. Over a half-precision
   * base the sum is formed in float32 and narrowed back to the layer's type, as PEFT does.
   */
  public NDArray apply(NDArray x, LoraAdapters adapters) {
    NDArray y = apply(x);
    LoraPair lora = adapters.forModule(module);
    return lora == null ? y : Precision.like(y.add(lora.delta(x)), y);
  }
}
