package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An encoded batch, still on the Java heap, as a {@link FoundationModel} made it: what its forward pass reads, and
 * the next-token targets [B, W] with the mask [B, W] of scored (completion) positions, W being {@link #width}.
 */
public interface ModelInputs {

  int size();

  /** Positions per row of the targets and the mask. */
  int width();

  /** Next-token ids, [size * width] row by row. */
  long[] targets();

  /** 1 for a scored position, 0 otherwise, [size * width] row by row. */
  float[] lossMask();

  default NDArray targets(NDManager manager) {
    return manager.create(targets(), new Shape(size(), width()));
  }

  default NDArray lossMask(NDManager manager) {
    return manager.create(lossMask(), new Shape(size(), width()));
  }

  /** Number of scored positions in the whole batch. */
  default int scoredTokens() {
    int n = 0;
    for (float m : lossMask()) {
      n += m > 0 ? 1 : 0;
    }
    return n;
  }
}
