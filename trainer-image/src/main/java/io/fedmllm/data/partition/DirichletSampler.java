package io.fedmllm.data.partition;

import java.util.Random;

/** Draws probability vectors from a symmetric Dirichlet distribution, via normalised Gamma draws. */
final class DirichletSampler {

  private DirichletSampler() {}

  /** A vector of {@code k} non-negative proportions summing to 1, ~ Dirichlet(alpha, ..., alpha). */
  static double[] sample(double alpha, int k, Random rng) {
    double[] draws = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      draws[i] = gamma(alpha, rng);
      sum += draws[i];
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      // Tiny alpha can underflow every draw to 0: the limit of Dirichlet(alpha -> 0) is all mass on one client.
      draws = new double[k];
      draws[rng.nextInt(k)] = 1;
      return draws;
    }
    for (int i = 0; i < k; i++) {
      draws[i] /= sum;
    }
    return draws;
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 use the boost Gamma(shape + 1) * U^(1 / shape). */
  static double gamma(double shape, Random rng) {
    if (shape < 1) {
      return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
