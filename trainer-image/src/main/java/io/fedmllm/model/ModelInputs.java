package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An encoded batch, still on the Java heap, as a {@link FoundationModel} made it: what its forward pass reads, and
 * the next-token targets [B, T] with the mask [B, T] of scored (completion) positions.
 */
public interface ModelInputs {

  int size();

  NDArray targets(NDManager manager);

  NDArray lossMask(NDManager manager);

  /** Number of scored positions in the whole batch. */
  int scoredTokens();
}
