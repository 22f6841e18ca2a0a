package io.fedmllm.strategy.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.tensor.Tensor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeviceTensorsTest {
  @Test
  void aCopyOutlivesTheStepScopeItWasMadeInAndIsMadeOncePerManager() {
    AtomicInteger reads = new AtomicInteger();
    DeviceTensors tensors = new DeviceTensors(name -> {
      reads.incrementAndGet();
      return new Tensor(new long[] {2}, new float[] {1f, 2f});
    });
    try (NDManager root = NDManager.newBaseManager()) {
      NDArray first;
      try (NDManager client = root.newSubManager()) {
        NDArray like = client.zeros(new Shape(2));
        try (NDScope step = new NDScope()) {
          step.suppressNotUsedWarning();
          first = tensors.get("w", like);
        }
        assertFalse(first.isReleased(), "closing the step's scope must not free the copy");
        try (NDScope step = new NDScope()) {
          step.suppressNotUsedWarning();
          assertSame(first, tensors.get("w", like));
        }
        assertArrayEquals(new float[] {1f, 2f}, first.toFloatArray());
      }
      try (NDManager nextTraining = root.newSubManager()) {
        NDArray again = tensors.get("w", nextTraining.zeros(new Shape(2)));
        assertNotSame(first, again);
        assertArrayEquals(new float[] {1f, 2f}, again.toFloatArray());
      }
      assertEquals(2, reads.get(), "one heap read per training");
    }
  }
}
