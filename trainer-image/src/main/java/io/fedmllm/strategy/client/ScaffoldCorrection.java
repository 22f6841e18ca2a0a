package io.fedmllm.strategy.client;

import ai.djl.ndarray.NDArray;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;

/**
 * SCAFFOLD's client-side drift correction as the authors' code base (OpenFedLLM's {@code SCAFFOLD_Callback}) applies
 * it: after every optimiser step the parameters move by {@code -lr (c - c_i)} (server minus client control
 * variate), {@code lr} being the round's client rate. With plain SGD this equals adding {@code c - c_i} to the
 * gradient; with AdamW it does not: AdamW would divide a gradient-side correction by its running gradient scale, while
 * the control variates of option II ({@link io.fedmllm.strategy.Scaffold#clientControlVariate}) are measured in
 * parameter displacement per unit learning rate, the unit this parameter-side correction uses. The gradient is left
 * alone.
 */
public final class ScaffoldCorrection implements ClientObjectiveTerm {
  private final DeviceTensors drift;

  public ScaffoldCorrection(TensorMap serverControl, TensorMap clientControl) {
    serverControl.requireSameLayout(clientControl, "SCAFFOLD control variates");
    this.drift = new DeviceTensors(name -> difference(serverControl.get(name), clientControl.get(name)));
  }

  /** c - c_i, rounded once from double as the per-element correction always was. */
  private static Tensor difference(Tensor c, Tensor ci) {
    float[] out = new float[c.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((double) c.data()[i] - ci.data()[i]);
    }
    return new Tensor(c.shape(), out);
  }

  @Override
  public NDArray apply(String name, NDArray theta, NDArray grad) {
    return null;
  }

  @Override
  public void afterStep(String name, NDArray theta, double learningRate) {
    theta.subi(drift.get(name, theta).mul((float) learningRate));
  }
}
