package io.fedmllm.strategy;

/**
 * The shared part of FedAdam and FedYogi: a first moment {@code m = beta1 m + (1 - beta1) Delta} ({@code m = Delta}
 * in the first round, as the authors' public code does) and parameters eta, tau, beta1, beta2. They differ only in
 * how the second moment follows {@code m^2}.
 */
abstract class AdamFamilyOptimizer extends AdaptiveServerOptimizer {
  private final String name;
  private final String parameters;
  final double beta1;
  final double beta2;

  AdamFamilyOptimizer(String name, StrategyParameters p) {
    super(p.positive("eta", 1e-3), p.positive("tau", 1e-3));
    this.name = name;
    this.beta1 = p.decay("beta1", 0.9);
    this.beta2 = p.decay("beta2", 0.99);
    this.parameters = p.finish();
  }

  @Override
  public String name() {
    return name;
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
}
