package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceAdamWTest {
  private static final TrainingConfig CONFIG = new TrainingConfig(1, 1, 0, 1, 0.9, 0.95, 1e-8, 0.1, 1.0);
  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A trainable array whose gradient after this call is {@code gradient} (accumulated onto what it held). */
  private static void backward(NDArray theta, float[] gradient) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(theta.mul(theta.getManager().create(gradient)).sum());
    }
  }

  @Test
  void followsTheHeapAdamWOverStepsAndZeroesTheGradient() {
    float[] heap = {1f, -2f, 0.5f};
    NDArray theta = manager.create(heap.clone());
    theta.setRequiresGradient(true);
    AdamW reference = AdamW.of(CONFIG);
    DeviceAdamW device = new DeviceAdamW(CONFIG, manager);
    float[][] gradients = {{0.5f, -4f, 1e-3f}, {3f, 0.25f, -2f}, {-1f, 1f, 0f}};
    for (float[] g : gradients) {
      backward(theta, g);
      reference.beginStep();
      reference.update("w", heap, g, 0.05);
      device.beginStep();
      device.update("w", theta, theta.getGradient(), 1f, 0.05);
      assertArrayEquals(heap, theta.toFloatArray(), 1e-6f);
      assertArrayEquals(new float[3], theta.getGradient().toFloatArray(), "the update zeroes the gradient");
    }
  }

  @Test
  void theGradientScaleActsAsAScaledGradient() {
    float[] heap = {1f, -2f};
    NDArray theta = manager.create(heap.clone());
    theta.setRequiresGradient(true);
    AdamW reference = AdamW.of(CONFIG);
    DeviceAdamW device = new DeviceAdamW(CONFIG, manager);
    for (int step = 0; step < 2; step++) {
      backward(theta, new float[] {4f, -8f});
      reference.beginStep();
      reference.update("w", heap, new float[] {1f, -2f}, 0.1);
      device.beginStep();
      device.update("w", theta, theta.getGradient(), 0.25f, 0.1);
    }
    assertArrayEquals(heap, theta.toFloatArray(), 1e-6f);
  }

  @Test
  void clipFactorScalesTheGlobalNormToTheLimit() {
    // norm of [3, 4] and [12] = 13 -> factor 1 / (13 + 1e-6); below the limit or disabled -> 1
    List<NDArray> grads = List.of(manager.create(new float[] {3f, 4f}), manager.create(new float[] {12f}));
    assertEquals(1 / (13 + 1e-6), GradientNorm.clipFactor(grads, 1.0), 1e-7);
    assertEquals(1f, GradientNorm.clipFactor(grads, 13.5));
    assertEquals(1f, GradientNorm.clipFactor(grads, 0));
  }

  @Test
  void updateBeforeBeginStepIsRefused() {
    NDArray theta = manager.create(new float[] {1f});
    assertThrows(IllegalStateException.class,
        () -> new DeviceAdamW(CONFIG, manager).update("w", theta, theta, 1f, 0.1));
  }
}
