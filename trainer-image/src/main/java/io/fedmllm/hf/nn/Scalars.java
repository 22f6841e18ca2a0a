package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scalars inside the autograd graph as 0-d arrays of the operand's manager, alive until that manager (the training
 * step's scope) closes: DJL turns a Java number argument into a temporary array it frees right away, and a backward
 * pass that runs later can then read freed memory (seen as NaN losses after many steps).
 */
final class Scalars {

  private Scalars() {}

  static NDArray of(NDArray like, float value) {
    return like.getManager().create(value);
  }
}
