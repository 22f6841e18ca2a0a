package io.fedmllm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay on the parameters' device: first and second moments are arrays of a manager the
 * caller owns for the whole local training (one client, one round), and each tensor's step is the engine's fused Adam
 * update, which also zeroes the tensor's gradient for the next step. Nothing is copied to the heap.
 *
 * <p>The same update as {@link AdamW}: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; theta -= lr (mhat / (sqrt(vhat) +
 * eps) + wd theta). The fused kernel computes {@code theta -= lr wd theta; theta -= lr' m / (sqrt(v) + eps')}; with
 * {@code lr' = lr sqrt(1-b2^t) / (1-b1^t)} and {@code eps' = eps sqrt(1-b2^t)} that is exactly the bias-corrected
 * form (in float32 arithmetic, where the heap version rounds from double).
 */
final class DeviceAdamW {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final NDManager state;
  private final Map<String, NDArray[]> moments = new HashMap<>();
  private int step;

  /** @param state owns the moments; the caller closes it when the local training ends */
  DeviceAdamW(TrainingConfig config, NDManager state) {
    this.beta1 = config.beta1();
    this.beta2 = config.beta2();
    this.epsilon = config.epsilon();
    this.weightDecay = config.weightDecay();
    this.state = state;
  }

  /** Advances the step counter; call once per optimiser step, before {@link #update}. */
  void beginStep() {
    step++;
  }

  /**
   * Updates {@code theta} in place from {@code gradient} times {@code gradientScale} (the clipping factor, 1 for
   * none) and zeroes {@code theta}'s gradient.
   */
  void update(String name, NDArray theta, NDArray gradient, float gradientScale, double learningRate) {
    if (step == 0) {
      throw new IllegalStateException("call beginStep() before update()");
    }
    NDArray[] mv = moments.computeIfAbsent(name, k -> {
      NDArray[] zeros = {
          state.zeros(theta.getShape(), theta.getDataType(), theta.getDevice()),
          state.zeros(theta.getShape(), theta.getDataType(), theta.getDevice())};
      NDScope.unregister(zeros); // live as long as the state manager, not the step's scope
      return zeros;
    });
    if (!mv[0].getShape().equals(theta.getShape()) || !gradient.getShape().equals(theta.getShape())) {
      throw new IllegalArgumentException("parameter " + name + " changed shape");
    }
    double c1 = 1 - Math.pow(beta1, step);
    double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, step));
    theta.getNDArrayInternal().adamUpdate(
        new NDList(theta, gradient, mv[0], mv[1]),
        new NDList(theta),
        (float) learningRate,
        (float) (learningRate * sqrtC2 / c1),
        (float) weightDecay,
        gradientScale,
        -1f, // no element-wise clipping
        (float) beta1,
        (float) beta2,
        (float) (epsilon * sqrtC2),
        false,
        true);
  }
}
