package io.fedmllm.strategy.client;

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
  private final TensorMap serverControl;
  private final TensorMap clientControl;

  public ScaffoldCorrection(TensorMap serverControl, TensorMap clientControl) {
    serverControl.requireSameLayout(clientControl, "SCAFFOLD control variates");
    this.serverControl = serverControl;
    this.clientControl = clientControl;
  }

  @Override
  public double apply(String name, float[] theta, float[] grad) {
    return 0;
  }

  @Override
  public void afterStep(String name, float[] theta, double learningRate) {
    float[] c = serverControl.get(name).data();
    float[] ci = clientControl.get(name).data();
    for (int i = 0; i < theta.length; i++) {
      theta[i] = (float) (theta[i] - learningRate * ((double) c[i] - ci[i]));
    }
  }
}
