package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.tensor.Tensor;
import java.io.IOException;

/** Loads checkpoint tensors (by canonical name) as float32 arrays of one manager. */
public record CheckpointArrays(HfCheckpoint checkpoint, NDManager manager) {

  public NDArray load(String canonical) throws IOException {
    Tensor t = checkpoint.tensor(canonical);
    return manager.create(t.data(), new Shape(t.shape()));
  }
}
