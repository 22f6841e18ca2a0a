package io.fedmllm.strategy.client;

import ai.djl.ndarray.NDArray;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import java.util.Optional;

/**
 * The paper's regularisation strategy, a FedProx-style proximal term restricted to the middle layers:
 * {@code (mu/2) * mu_w * sum ||theta - theta_global||^2} over the adapter tensors of layers {@code s .. L-1-s}.
 * With {@code s = 0, mu_w = 1} it is plain FedProx. Its gradient is {@code mu * mu_w * (theta - theta_global)}.
 */
public final class ProximalRegularizer implements ClientObjectiveTerm {
  private final double mu;
  private final double muW;
  private final int first;
  private final int last;
  private final DeviceTensors anchors;

  /**
   * @param skip the paper's {@code s}: layers below {@code s} and above {@code L-1-s} are not regularised
   * @param layers the decoder's layer count {@code L}
   * @param global the round's global adapter, the anchor of the proximal term
   */
  public ProximalRegularizer(double mu, double muW, int skip, int layers, TensorMap global) {
    if (mu < 0 || muW < 0) {
      throw new IllegalArgumentException("regulariser mu and mu_w must not be negative");
    }
    if (skip < 0 || 2 * skip >= layers) {
      throw new IllegalArgumentException(
          "regulariser s=" + skip + " leaves no middle layer in a model of " + layers + " layers");
    }
    this.mu = mu;
    this.muW = muW;
    this.first = skip;
    this.last = layers - 1 - skip;
    this.anchors = new DeviceTensors(global::get);
  }

  /** Plain FedProx over every layer. */
  public static ProximalRegularizer fedProx(double mu, int layers, TensorMap global) {
    return new ProximalRegularizer(mu, 1.0, 0, layers, global);
  }

  public boolean covers(String name) {
    Optional<LoraNames.LoraTensorName> parsed = LoraNames.parse(name);
    return parsed.isPresent() && parsed.get().layer() >= first && parsed.get().layer() <= last;
  }

  @Override
  public NDArray apply(String name, NDArray theta, NDArray grad) {
    if (!covers(name)) {
      return null;
    }
    float coefficient = (float) (mu * muW);
    NDArray diff = theta.sub(anchors.get(name, theta));
    grad.addi(diff.mul(coefficient));
    return diff.square().sum().mul(0.5f * coefficient);
  }
}
