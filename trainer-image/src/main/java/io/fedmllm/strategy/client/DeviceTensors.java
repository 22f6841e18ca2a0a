package io.fedmllm.strategy.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A term's constant tensors (anchors, control-variate differences) on the parameters' device, each copied there once
 * per local training rather than every step. Copies are made in the manager of the parameter they meet, and made
 * again if that manager has closed since (a term object reused by a later training).
 */
final class DeviceTensors {
  private final Function<String, Tensor> source;
  private final Map<String, NDArray> copies = new ConcurrentHashMap<>();

  DeviceTensors(Function<String, Tensor> source) {
    this.source = source;
  }

  /** Tensor {@code name} as an array of {@code like}'s manager and device. */
  NDArray get(String name, NDArray like) {
    NDManager manager = like.getManager();
    return copies.compute(name, (k, copy) -> {
      if (copy != null && !copy.isReleased() && copy.getManager() == manager) {
        return copy;
      }
      Tensor t = source.apply(k);
      NDArray created = manager.create(t.data(), new Shape(t.shape()));
      NDScope.unregister(created); // made inside a step's scope, but lives with the parameter's manager
      return created;
    });
  }
}
