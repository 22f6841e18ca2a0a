package io.fedmllm.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Task;
import org.junit.jupiter.api.Test;

/** Both modalities matter: each alone is clearly better than chance and clearly worse than both together. */
class ModalityAccuracyTest {

  private static final int SAMPLES = 6000;

  @Test
  void hatefulNeedsImageAndText() {
    ModalityAccuracy accuracy = ModalityAccuracy.measure(Task.HATEFUL, 42, SAMPLES);
    assertEquals(1.0, accuracy.both(), 1e-9, accuracy.toString());
    assertEquals(0.75, accuracy.imageOnly(), 0.03, accuracy.toString());
    assertEquals(0.75, accuracy.textOnly(), 0.03, accuracy.toString());
    assertEquals(0.625, accuracy.neither(), 0.03, accuracy.toString());
  }

  @Test
  void crisisNeedsImageAndText() {
    ModalityAccuracy accuracy = ModalityAccuracy.measure(Task.CRISIS, 42, SAMPLES);
    assertEquals(1.0, accuracy.both(), 1e-9, accuracy.toString());
    assertEquals(0.75, accuracy.imageOnly(), 0.03, accuracy.toString());
    assertEquals(0.625, accuracy.textOnly(), 0.03, accuracy.toString());
    assertEquals(0.125, accuracy.neither(), 0.03, accuracy.toString());
  }

  @Test
  void vqaNeedsImageAndText() {
    ModalityAccuracy accuracy = ModalityAccuracy.measure(Task.VQA, 42, SAMPLES);
    assertEquals(1.0, accuracy.both(), 1e-9, accuracy.toString());
    assertTrue(accuracy.imageOnly() > accuracy.neither() + 0.05, accuracy.toString());
    assertTrue(accuracy.textOnly() > accuracy.neither() + 0.02, accuracy.toString());
    assertTrue(accuracy.imageOnly() < 0.6 && accuracy.textOnly() < 0.6, accuracy.toString());
  }
}
