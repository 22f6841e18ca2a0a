package io.fedmllm.strategy;

import java.util.Map;

/**
 * FedAdam as the paper writes it: {@code Delta = mean_k (w_k - w)}; {@code m = beta1 m + (1 - beta1) Delta}
 * ({@code m = Delta} in the first round, as the authors' public code does); {@code v = beta2 v + (1 - beta2) m^2};
 * {@code w = w + eta m / (sqrt(v) + tau)}. Parameters {@code eta} (1e-3), {@code tau} (1e-3), {@code beta1} (0.9),
 * {@code beta2} (0.99); state slots {@code m} (initially 0) and {@code v} (initially {@code tau^2}).
 */
public final class FedAdam extends AdamFamilyOptimizer {

  public static final String NAME = "fedadam";

  public FedAdam(Map<String, ? extends Number> params) {
    super(NAME, new StrategyParameters(NAME, params));
  }

  @Override
  double secondMoment(double v, double m) {
    return beta2 * v + (1 - beta2) * m * m;
  }
}
