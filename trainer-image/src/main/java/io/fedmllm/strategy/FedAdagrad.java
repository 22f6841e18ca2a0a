package io.fedmllm.strategy;

import java.util.Map;

/**
 * FedAdagrad: {@code Delta = mean_k (w_k - w)}; {@code v = v + Delta^2}; {@code w = w + eta Delta / (sqrt(v) + tau)}.
 * Parameters {@code eta} (1e-3), {@code tau} (1e-3); state slot {@code v}, initially {@code tau^2}.
 */
public final class FedAdagrad extends AdaptiveServerOptimizer {

  public static final String NAME = "fedadagrad";

  private final String parameters;

  public FedAdagrad(Map<String, ? extends Number> params) {
    this(new StrategyParameters(NAME, params));
  }

  private FedAdagrad(StrategyParameters p) {
    super(p.positive("eta", 1e-3), p.positive("tau", 1e-3));
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
    return false;
  }

  @Override
  double firstMoment(double m, double delta, boolean firstRound) {
    return delta;
  }

  @Override
  double secondMoment(double v, double m) {
    return v + m * m;
  }
}
