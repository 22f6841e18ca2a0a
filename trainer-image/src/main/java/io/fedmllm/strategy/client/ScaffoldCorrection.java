package io.fedmllm.strategy.client;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;

/**
 * SCAFFOLD's client side: every local gradient is corrected by {@code c - c_i} (server minus client control variate),
 * and after local training the client control variate moves to
 * {@code c_i+ = c_i - c + (x - y_i) / (K * lr)} (option II of the paper by Karimireddy et al.), where x is the global
 * adapter, y_i the local result and K the number of local steps. The client sends {@code c_i+ - c_i}.
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

  /** The client's new control variate after {@code steps} local steps at {@code learningRate}. */
  public TensorMap nextClientControl(TensorMap global, TensorMap local, int steps, double learningRate) {
    TensorMap.Builder out = TensorMap.builder();
    double scale = 1.0 / (steps * learningRate);
    for (String name : clientControl.names()) {
      float[] ci = clientControl.get(name).data();
      float[] c = serverControl.get(name).data();
      float[] x = global.get(name).data();
      float[] y = local.get(name).data();
      float[] next = new float[ci.length];
      for (int i = 0; i < ci.length; i++) {
        next[i] = (float) (ci[i] - c[i] + (x[i] - y[i]) * scale);
      }
      out.put(name, new Tensor(clientControl.get(name).shape(), next));
    }
    return out.build();
  }
}
