package io.fedmllm.train;

import java.util.HashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay over heap-resident parameters. State (first and second moments, step count)
 * belongs to one optimiser instance, i.e. to one client's local training; nothing is shared between clients.
 *
 * <p>Update per element: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; theta -= lr (mhat / (sqrt(vhat) + eps) + wd
 * theta), with bias-corrected mhat = m/(1-b1^t), vhat = v/(1-b2^t).
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final Map<String, float[]> m = new HashMap<>();
  private final Map<String, float[]> v = new HashMap<>();
  private int step;

  public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  public static AdamW of(TrainingConfig config) {
    return new AdamW(config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
  }

  /** Advances the step counter; call once per optimiser step, before {@link #update}. */
  public void beginStep() {
    step++;
  }

  public int stepCount() {
    return step;
  }

  /** Updates {@code theta} in place from {@code grad}. */
  public void update(String name, float[] theta, float[] grad, double learningRate) {
    if (step == 0) {
      throw new IllegalStateException("call beginStep() before update()");
    }
    float[] mt = m.computeIfAbsent(name, k -> new float[theta.length]);
    float[] vt = v.computeIfAbsent(name, k -> new float[theta.length]);
    if (mt.length != theta.length || grad.length != theta.length) {
      throw new IllegalArgumentException("parameter " + name + " changed size");
    }
    double c1 = 1 - Math.pow(beta1, step);
    double c2 = 1 - Math.pow(beta2, step);
    for (int i = 0; i < theta.length; i++) {
      double g = grad[i];
      double mi = beta1 * mt[i] + (1 - beta1) * g;
      double vi = beta2 * vt[i] + (1 - beta2) * g * g;
      mt[i] = (float) mi;
      vt[i] = (float) vi;
      double update = (mi / c1) / (Math.sqrt(vi / c2) + epsilon) + weightDecay * theta[i];
      theta[i] = (float) (theta[i] - learningRate * update);
    }
  }
}
