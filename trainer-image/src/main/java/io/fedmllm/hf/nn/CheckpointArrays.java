package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.tensor.Tensor;
import java.io.IOException;

/**
 * Loads checkpoint tensors (by canonical name) as arrays of one manager, in the base's element type: float32, or
 * float16 (the frozen weights of a half-precision base; the layers that need float32 arithmetic widen on the fly).
 */
public record CheckpointArrays(HfCheckpoint checkpoint, NDManager manager, DataType weights) {

  public CheckpointArrays {
    if (weights != DataType.FLOAT32 && weights != DataType.FLOAT16) {
      throw new IllegalArgumentException("base weights are float32 or float16, not " + weights);
    }
  }

  /** Float32 weights. */
  public CheckpointArrays(HfCheckpoint checkpoint, NDManager manager) {
    this(checkpoint, manager, DataType.FLOAT32);
  }

  public NDArray load(String canonical) throws IOException {
    Tensor t = checkpoint.tensor(canonical);
    NDArray array = manager.create(t.data(), new Shape(t.shape()));
    if (weights == DataType.FLOAT32) {
      return array;
    }
    NDArray narrowed = array.toType(weights, false);
    array.close();
    return narrowed;
  }
}
