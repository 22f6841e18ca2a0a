package io.fedmllm.strategy;

import java.util.Map;

/**
 * FedYogi as the paper writes it: {@code m} as in {@link FedAdam};
 * {@code v = v - (1 - beta2) m^2 sign(v - m^2)}; {@code w = w + eta m / (sqrt(v) + tau)}. Parameters and state as
 * FedAdam. Unlike Adam's, the second moment changes by at most {@code (1 - beta2) m^2} per round in either direction.
 */
public final class FedYogi extends AdamFamilyOptimizer {

  public static final String NAME = "fedyogi";

  public FedYogi(Map<String, ? extends Number> params) {
    super(NAME, new StrategyParameters(NAME, params));
  }

  @Override
  double secondMoment(double v, double m) {
    double m2 = m * m;
    return v - (1 - beta2) * m2 * Math.signum(v - m2);
  }
}
