package io.fedmllm.strategy;

import java.util.Map;

/**
 * FedAdam as the paper writes it: {@code Delta = mean_k (w_k - w)}; {@code m = beta1 m + (1 - beta1) Delta}
 * ({@code m = Delta} in the first round, as the authors' public code does); {@code v = beta2 v + (1 - beta2) m^2};
 * {@code w = w + eta m / (sqrt(v) + tau)}. Parameters {@code eta} (1e-3), {@code tau} (1e-3), {@code beta1} (0.9),
 * {@code beta2} (0.99); state slots {@code m} (initially 0) and {@code v} (initially {@code tau^2}).
 */
public final class FedAdam extends AdaptiveServerOptimizer {

  public static final String NAME = "fedadam";

  private final double beta1;
  private final double beta2;
  private final String parameters;

  public FedAdam(Map<String, ? extends Number> params) {
    this(new StrategyParameters(NAME, params));
  }

  private FedAdam(StrategyParameters p) {
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
    return beta2 * v + (1 - beta2) * m * m;
  }
}
