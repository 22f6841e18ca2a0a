package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * One LoRA adapter of a linear layer, as PEFT computes it: {@code scale * (dropout(x) A^T) B^T} with A [r, in],
 * B [out, r] and {@code scale = alpha / r}. The input is cast to the factors' type (float32 over a half-precision
 * base, as PEFT casts to {@code lora_A.weight.dtype}), so the delta is float32.
 *
 * @param inputDropout dropout on the adapter's input (identity when evaluating)
 */
public record LoraPair(NDArray a, NDArray b, float scale, UnaryOperator<NDArray> inputDropout) {

  /** An adapter without dropout. */
  public LoraPair(NDArray a, NDArray b, float scale) {
    this(a, b, scale, UnaryOperator.identity());
  }

  public NDArray delta(NDArray x) {
    NDArray in = Precision.as(x, a.getDataType());
    return inputDropout.apply(in).matMul(a.transpose()).matMul(b.transpose()).mul(Scalars.of(in, scale));
  }
}
