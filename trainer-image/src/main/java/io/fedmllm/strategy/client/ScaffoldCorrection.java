package io.fedmllm.strategy.client;

import io.fedmllm.tensor.TensorMap;

/**
 * SCAFFOLD's client-side drift correction: every local gradient is corrected by {@code c - c_i} (server minus client
 * control variate). The control variate update after training is {@link io.fedmllm.strategy.Scaffold#clientControlVariate}.
 */
public final class ScaffoldCorrection implements ClientObjectiveTerm {
  private final TensorMap serverControl;
  private final TensorMap clientControl;

  public ScaffoldCorrection(TensorMap serverControl, TensorMap clientControl) {
    serverControl.requireSameLayout(clientControl, "SCAFFOLD control variates");
    this.serverControl = serverControl;
    this.clientControl = clientControl;
  }

  @Override
  public double apply(String name, float[] theta, float[] grad) {
    float[] c = serverControl.get(name).data();
    float[] ci = clientControl.get(name).data();
    for (int i = 0; i < grad.length; i++) {
      grad[i] += c[i] - ci[i];
    }
    return 0;
  }
}
