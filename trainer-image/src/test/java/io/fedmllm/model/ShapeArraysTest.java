package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShapeArraysTest {
  @Test
  void lengthsShareAPowerOfTwoBucketWithinTheLimit() {
    assertEquals(64, ShapeArrays.lengthBucket(1, 4096));
    assertEquals(64, ShapeArrays.lengthBucket(64, 4096));
    assertEquals(128, ShapeArrays.lengthBucket(65, 4096));
    assertEquals(2048, ShapeArrays.lengthBucket(1100, 4096));
    assertEquals(1500, ShapeArrays.lengthBucket(1100, 1500), "never past the limit");
    assertEquals(48, ShapeArrays.lengthBucket(17, 48), "a small limit is one bucket");
    assertEquals(5000, ShapeArrays.lengthBucket(5000, 4096), "beyond the limit: the length itself");
    assertEquals(1 << 30, ShapeArrays.lengthBucket((1 << 30) - 5, Integer.MAX_VALUE));
    for (int length = 1; length < 3000; length++) {
      assertTrue(ShapeArrays.lengthBucket(length, 2500) >= length);
    }
  }

  @Test
  void keepsAtMostABoundedNumberOfKeysAndBuildsTheRestForTheStep() {
    AtomicInteger builds = new AtomicInteger();
    try (NDManager model = NDManager.newBaseManager()) {
      ShapeArrays<Integer> arrays = new ShapeArrays<>(model, (m, k) -> {
        builds.incrementAndGet();
        return new NDList(m.ones(new ai.djl.ndarray.types.Shape(k)));
      });
      NDArray first;
      try (NDManager step = model.newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        first = arrays.get(1, step).head();
      }
      assertFalse(first.isReleased(), "a cached array outlives the step that built it");
      try (NDManager step = model.newSubManager()) {
        assertSame(first, arrays.get(1, step).head());
      }
      assertEquals(1, builds.get());
      for (int k = 2; k <= ShapeArrays.MAX_KEYS; k++) {
        try (NDManager step = model.newSubManager()) {
          arrays.get(k, step);
        }
      }
      NDArray uncached;
      try (NDManager step = model.newSubManager()) {
        uncached = arrays.get(ShapeArrays.MAX_KEYS + 1, step).head();
        assertEquals(step, uncached.getManager(), "past the bound the step owns the array");
      }
      assertTrue(uncached.isReleased());
      assertEquals(ShapeArrays.MAX_KEYS + 1, builds.get());
    }
  }
}
