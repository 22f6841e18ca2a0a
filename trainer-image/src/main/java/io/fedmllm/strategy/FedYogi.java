package io.fedmllm.strategy;

import java.util.Map;

/**
 * FedYogi as the paper writes it: {@code m} as in {@link FedAdam};
 * {@code v = v - (1 - beta2) m^2 sign(v - m^2)}; {@code w = w + eta m / (sqrt(v) + tau)}. Parameters and state as
 * FedAdam. Unlike Adam's, the second moment changes by at most {@code (1 - beta2) m^2} per round in either direction.
 */
public final class FedYogi extends AdaptiveServerOptimizer {

  public static final String NAME = "fedyogi";

  private final double beta1;
  private final double beta2;
  private final String parameters;

  public FedYogi(Map<String, ? extends Number> params) {
    this(new StrategyParameters(NAME, params));
  }

  private FedYogi(StrategyParameters p) {
    super(p.positive("eta", 1e-3), p.positive("tau", 1e-3));
    this.beta1 = p.decay("beta1", 0.9);
    this.beta2 = p.decay("beta2", 0.99);
    this.parameters = p.finish();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String parameters() {
    return parameters;
  }

  @Override
  boolean hasMomentum() {
    return true;
  }

  @Override
  double firstMoment(double m, double delta, boolean firstRound) {
    return firstRound ? delta : beta1 * m + (1 - beta1) * delta;
  }

  @Override
  double secondMoment(double v, double m) {
    double m2 = m * m;
    return v - (1 - beta2) * m2 * Math.signum(v - m2);
  }
}
