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
 * <p>At most {@link #MAX_KEYS} keys are kept (nothing is ever closed under another thread's step); beyond them an
 * array is built for the caller's step alone. Callers keep the keys few by building for a length bucket
 * ({@link #lengthBucket}) and slicing.
 *
 * @param <K> the shape key, e.g. the sequence length
 */
public final class ShapeArrays<K> {
  static final int MAX_KEYS = 16;
  private static final int SMALLEST_BUCKET = 64;

  private final NDManager owner;
  private final BiFunction<NDManager, K, NDList> build;
  private final Map<K, NDList> built = new ConcurrentHashMap<>();

  /** @param owner the manager the arrays live in (and are closed with) */
  public ShapeArrays(NDManager owner, BiFunction<NDManager, K, NDList> build) {
    this.owner = owner;
    this.build = build;
  }

  /**
   * The arrays for {@code key}; {@code step} owns them when the cache is full (then they are freed with the step,
   * like any other array of it).
   */
  public NDList get(K key, NDManager step) {
    NDList cached = built.get(key);
    if (cached != null) {
      return cached;
    }
    if (built.size() >= MAX_KEYS) {
      return build.apply(step, key);
    }
    return built.computeIfAbsent(key, k -> {
      NDList arrays = build.apply(owner, k);
      NDScope.unregister(arrays); // created inside a step's scope, but must outlive it
      return arrays;
    });
  }

  /**
   * The length to build tables for so that {@code length} is a prefix of them: the next power of two (at least 64)
   * but no more than {@code limit} (the longest length the tables may be built for), or {@code length} itself when it
   * exceeds the limit.
   */
  public static int lengthBucket(int length, int limit) {
    if (length >= limit) {
      return length;
    }
    long bucket = Math.max(SMALLEST_BUCKET, Long.highestOneBit(Math.max(1, length - 1)) << 1);
    return (int) Math.min(bucket, limit);
  }
}
