package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Element-type conversions of a half-precision base: where transformers computes in float32 (norms, softmax, the
 * loss) the activations are widened and narrowed back, and a float32 base passes through every call unchanged (no
 * copy, no extra operation in the graph).
 */
final class Precision {

  private Precision() {}

  /** {@code x} as float32 (itself when it is). */
  static NDArray widen(NDArray x) {
    return as(x, DataType.FLOAT32);
  }

  /** {@code x} in {@code like}'s element type (itself when it is). */
  static NDArray like(NDArray x, NDArray like) {
    return as(x, like.getDataType());
  }

  /**
   * {@code x} in {@code type} (itself when it is), differentiably. DJL's {@code toType} runs PyTorch's cast under a
   * no-grad guard, so a LoRA gradient would stop at the first cast; a running product over a new axis of length one
   * is the same cast with autograd ({@code torch.cumprod(x[..., None], -1, dtype=type)[..., 0]}).
   */
  static NDArray as(NDArray x, DataType type) {
    return x.getDataType() == type ? x : x.expandDims(-1).cumProd(-1, type).squeeze(-1);
  }
}
