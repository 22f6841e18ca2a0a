package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;

/**
 * One LoRA adapter of a linear layer, as PEFT computes it: {@code scale * (x A^T) B^T} with A [r, in], B [out, r] and
 * {@code scale = alpha / r} (dropout 0).
 */
public record LoraPair(NDArray a, NDArray b, float scale) {

  public NDArray delta(NDArray x) {
    return x.matMul(a.transpose()).matMul(b.transpose()).mul(scale);
  }
}
