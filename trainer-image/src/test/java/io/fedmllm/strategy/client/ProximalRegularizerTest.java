package io.fedmllm.strategy.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProximalRegularizerTest {
  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private static TensorMap globalWith(String name, float... values) {
    return TensorMap.builder().put(name, new Tensor(new long[] {values.length}, values)).build();
  }

  private NDArray array(float... values) {
    return manager.create(values);
  }

  @Test
  void gradientAndValueOfTheMiddleLayerTerm() {
    // mu 0.01, mu_w 0.1 -> coefficient 0.001. theta [1, 2, 3], global [1, 0, -1] -> diff [0, 2, 4].
    // grad += 0.001 * diff = [0, 0.002, 0.004]; value = 0.5 * 0.001 * (0 + 4 + 16) = 0.01
    String name = LoraNames.a(2, "q_proj");
    ProximalRegularizer reg = new ProximalRegularizer(0.01, 0.1, 1, 5, globalWith(name, 1, 0, -1));
    NDArray grad = array(1f, 1f, 1f);
    NDArray value = reg.apply(name, array(1, 2, 3), grad);
    assertEquals(0.01, value.getFloat(), 1e-9);
    assertArrayEquals(new float[] {1f, 1.002f, 1.004f}, grad.toFloatArray(), 1e-7f);
  }

  @Test
  void onlyLayersSToLMinus1MinusSAreRegularised() {
    // 6 layers, s = 2 -> layers 2 and 3 only.
    ProximalRegularizer reg = new ProximalRegularizer(0.01, 0.1, 2, 6, TensorMap.empty());
    assertFalse(reg.covers(LoraNames.a(1, "q_proj")));
    assertTrue(reg.covers(LoraNames.b(2, "v_proj")));
    assertTrue(reg.covers(LoraNames.a(3, "o_proj")));
    assertFalse(reg.covers(LoraNames.a(4, "k_proj")));
    NDArray grad = array(5f);
    assertNull(reg.apply(LoraNames.a(0, "q_proj"), array(9f), grad));
    assertEquals(5f, grad.getFloat());
  }

  @Test
  void fedProxCoversEveryLayerWithWeightOne() {
    String name = LoraNames.b(0, "k_proj");
    ProximalRegularizer prox = ProximalRegularizer.fedProx(0.5, 1, globalWith(name, 0f));
    NDArray grad = array(0f);
    assertEquals(0.25 * 4, prox.apply(name, array(2f), grad).getFloat(), 1e-7); // 0.5/2 * 2^2
    assertEquals(1f, grad.getFloat(), 1e-7f); // 0.5 * 2
  }

  @Test
  void theAnchorIsCopiedAgainForATrainingWithANewManager() {
    String name = LoraNames.b(0, "k_proj");
    ProximalRegularizer prox = ProximalRegularizer.fedProx(1, 1, globalWith(name, 1f));
    for (int training = 0; training < 2; training++) {
      try (NDManager client = manager.newSubManager()) {
        NDArray grad = client.create(new float[] {0f});
        prox.apply(name, client.create(new float[] {3f}), grad);
        assertEquals(2f, grad.getFloat(), 1e-7f, "training " + training);
      }
    }
  }

  @Test
  void skipThatLeavesNoMiddleLayerIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ProximalRegularizer(0.01, 0.1, 2, 4, TensorMap.empty()));
  }

  @Test
  void scaffoldCorrectionMovesTheParametersAfterTheStepAndLeavesTheGradientAlone() {
    // OpenFedLLM's SCAFFOLD_Callback: theta -= lr * (c - c_i) after every optimiser step.
    String name = LoraNames.a(0, "q_proj");
    ScaffoldCorrection c = new ScaffoldCorrection(globalWith(name, 0.5f, -1f), globalWith(name, 0.25f, 1f));
    NDArray grad = array(1f, 1f);
    assertNull(c.apply(name, array(0f, 0f), grad));
    assertArrayEquals(new float[] {1f, 1f}, grad.toFloatArray());
    NDArray theta = array(1f, 1f);
    c.afterStep(name, theta, 0.1);
    // c - c_i = [0.25, -2]; theta = [1 - 0.025, 1 + 0.2]
    assertArrayEquals(new float[] {0.975f, 1.2f}, theta.toFloatArray(), 1e-7f);
  }

  @Test
  void proximalTermDoesNotTouchTheParametersAfterTheStep() {
    String name = LoraNames.a(2, "q_proj");
    ProximalRegularizer reg = new ProximalRegularizer(0.01, 0.1, 1, 5, globalWith(name, 1, 0, -1));
    NDArray theta = array(1, 2, 3);
    reg.afterStep(name, theta, 0.1);
    assertArrayEquals(new float[] {1, 2, 3}, theta.toFloatArray());
  }
}
