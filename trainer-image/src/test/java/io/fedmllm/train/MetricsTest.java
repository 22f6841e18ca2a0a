package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rocAucCountsCorrectlyOrderedPairsAndHalfTies() {
    // positives scored 0.8 and 0.4, negatives 0.4 and 0.1: pairs (0.8>0.4), (0.8>0.1), (0.4=0.4 -> 1/2), (0.4>0.1)
    // = 3.5 of 4 pairs.
    assertEquals(0.875, Metrics.rocAuc(new int[] {1, 0, 1, 0}, new double[] {0.8, 0.4, 0.4, 0.1}), 1e-12);
    assertEquals(1.0, Metrics.rocAuc(new int[] {0, 1}, new double[] {0, 1}), 1e-12);
    assertEquals(0.0, Metrics.rocAuc(new int[] {1, 0}, new double[] {0, 1}), 1e-12);
    assertEquals(0.5, Metrics.rocAuc(new int[] {1, 1}, new double[] {0, 1}), 1e-12);
  }

  @Test
  void macroF1AveragesPerClassF1() {
    // labels    0 0 1 1 2
    // predicted 0 1 1 1 0
    // class 0: tp 1 fp 1 fn 1 -> 2/4 = 0.5; class 1: tp 2 fp 1 fn 0 -> 4/5 = 0.8; class 2: tp 0 fn 1 -> 0
    double f1 = Metrics.macroF1(new int[] {0, 0, 1, 1, 2}, new int[] {0, 1, 1, 1, 0}, 3);
    assertEquals((0.5 + 0.8 + 0) / 3, f1, 1e-12);
  }

  @Test
  void accuracyIsTheShareOfExactMatches() {
    assertEquals(0.75, Metrics.accuracy(new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 0}), 1e-12);
  }
}
