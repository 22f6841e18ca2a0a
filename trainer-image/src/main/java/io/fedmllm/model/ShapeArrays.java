package io.fedmllm.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Constant arrays that depend only on a shape (causal masks, rotary tables), built once per key on the device of a
 * long-lived manager (the model's own) and reused by every step and thread, instead of being rebuilt on the heap and
 * copied to the device every step. Callers must not modify or close what they get.
 *
 * @param <K> the shape key, e.g. the sequence length
 */
public final class ShapeArrays<K> {
  private final NDManager owner;
  private final BiFunction<NDManager, K, NDList> build;
  private final Map<K, NDList> built = new ConcurrentHashMap<>();

  /** @param owner the manager the arrays live in (and are closed with) */
  public ShapeArrays(NDManager owner, BiFunction<NDManager, K, NDList> build) {
    this.owner = owner;
    this.build = build;
  }

  public NDList get(K key) {
    return built.computeIfAbsent(key, k -> {
      NDList arrays = build.apply(owner, k);
      NDScope.unregister(arrays); // created inside a step's scope, but must outlive it
      return arrays;
    });
  }
}
