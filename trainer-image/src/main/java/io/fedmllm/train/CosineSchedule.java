package io.fedmllm.train;

/**
 * The learning rate of each round: linear warm-up over the first {@code warmupFraction} of the rounds (at least one
 * round when the fraction is positive), then cosine decay from the peak to {@code minRatio * peak} at the last round.
 * The aggregator computes it and publishes it in the round plan, so every client of a round uses the same rate.
 */
public record CosineSchedule(double peak, int totalRounds, double warmupFraction, double minRatio) {

  public CosineSchedule {
    if (!(peak > 0) || totalRounds <= 0 || warmupFraction < 0 || warmupFraction >= 1 || minRatio < 0 || minRatio > 1) {
      throw new IllegalArgumentException(
          "learning-rate schedule: need peak > 0, rounds > 0, 0 <= warmup < 1, 0 <= minRatio <= 1");
    }
  }

  public int warmupRounds() {
    return warmupFraction == 0 ? 0 : (int) Math.ceil(warmupFraction * totalRounds);
  }

  /** Learning rate for round {@code round} (0-based). */
  public double rate(int round) {
    if (round < 0 || round >= totalRounds) {
      throw new IllegalArgumentException("round " + round + " outside 0.." + (totalRounds - 1));
    }
    int warmup = warmupRounds();
    if (round < warmup) {
      return peak * (round + 1) / (warmup + 1);
    }
    int decayRounds = totalRounds - warmup;
    double progress = decayRounds <= 1 ? 0 : (double) (round - warmup) / (decayRounds - 1);
    double min = peak * minRatio;
    return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
  }
}
