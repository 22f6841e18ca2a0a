package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamWTest {
  @Test
  void firstStepMovesEachWeightByLearningRateTimesSignPlusDecay() {
    // Step 1: m = 0.1 g, v = 0.05 g^2; mhat = g, vhat = g^2 -> update = g/|g| (+eps) + wd * theta.
    // theta = [1, -2], g = [0.5, -4], lr 0.1, wd 0.1:
    //   theta0 = 1 - 0.1 * (1 + 0.1 * 1)  = 0.89
    //   theta1 = -2 - 0.1 * (-1 + 0.1 * -2) = -1.88
    AdamW adam = new AdamW(0.9, 0.95, 0, 0.1);
    float[] theta = {1f, -2f};
    adam.beginStep();
    adam.update("w", theta, new float[] {0.5f, -4f}, 0.1);
    assertEquals(0.89f, theta[0], 1e-6);
    assertEquals(-1.88f, theta[1], 1e-6);
  }

  @Test
  void secondStepUsesBiasCorrectedMoments() {
    // g1 = 1, g2 = 3, b1 0.9, b2 0.95, no decay, lr 1:
    // m2 = 0.9*0.1 + 0.1*3 = 0.39, mhat = 0.39/0.19; v2 = 0.95*0.05 + 0.05*9 = 0.4975, vhat = 0.4975/0.0975
    AdamW adam = new AdamW(0.9, 0.95, 0, 0);
    float[] theta = {0f};
    adam.beginStep();
    adam.update("w", theta, new float[] {1f}, 1);
    adam.beginStep();
    adam.update("w", theta, new float[] {3f}, 1);
    double second = (0.39 / 0.19) / Math.sqrt(0.4975 / 0.0975);
    assertEquals(-1 - second, theta[0], 1e-5);
  }

  @Test
  void stateIsPerOptimiser() {
    AdamW a = new AdamW(0.9, 0.95, 0, 0);
    AdamW b = new AdamW(0.9, 0.95, 0, 0);
    float[] x = {0f};
    float[] y = {0f};
    a.beginStep();
    a.update("w", x, new float[] {1f}, 1);
    b.beginStep();
    b.update("w", y, new float[] {1f}, 1);
    assertEquals(x[0], y[0]);
    assertThrows(IllegalStateException.class, () -> new AdamW(0.9, 0.95, 0, 0).update("w", x, x, 1));
  }
}
