package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.update;
import static io.fedmllm.strategy.Vectors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedmllm.tensor.TensorMap;
import org.junit.jupiter.api.Test;

class FedAvgTest {

  private final FedAvg fedAvg = new FedAvg();

  @Test
  void sampleWeightedAverageOfClientWeights() {
    TensorMap global = vec(0, 0, 0);
    Aggregation agg = fedAvg.begin(global, fedAvg.initialState(global));
    agg.add(update("a", 1, 1, 2, 3));
    agg.add(update("b", 3, 5, 6, -1));
    RoundResult r = agg.finish();
    // w = (1*[1,2,3] + 3*[5,6,-1]) / 4 = [16, 20, 0] / 4 = [4, 5, 0]
    assertValues(new double[] {4, 5, 0}, r.global(), "w");
    assertEquals(1, r.state().round());
  }

  @Test
  void identicalClientsGiveExactlyTheirWeights() {
    TensorMap global = vec(0, 0);
    Aggregation agg = fedAvg.begin(global, fedAvg.initialState(global));
    agg.add(update("a", 7, 0.1f, -0.3f));
    agg.add(update("b", 13, 0.1f, -0.3f));
    // 7w + 13w = 20w exactly in double, / 20 = w exactly
    assertEquals(vec(0.1f, -0.3f), agg.finish().global());
  }

  @Test
  void rejectsOutOfOrderAndRepeatedClientIds() {
    TensorMap global = vec(0);
    Aggregation agg = fedAvg.begin(global, fedAvg.initialState(global));
    agg.add(update("client-2", 1, 1));
    assertThrows(IllegalArgumentException.class, () -> agg.add(update("client-1", 1, 1)));
    assertThrows(IllegalArgumentException.class, () -> agg.add(update("client-2", 1, 1)));
    assertEquals(1, agg.updateCount());
  }

  @Test
  void finishNeedsAnUpdateAndHappensOnce() {
    TensorMap global = vec(0);
    Aggregation empty = fedAvg.begin(global, fedAvg.initialState(global));
    assertThrows(IllegalStateException.class, empty::finish);
    Aggregation agg = fedAvg.begin(global, fedAvg.initialState(global));
    agg.add(update("a", 1, 1));
    agg.finish();
    assertThrows(IllegalStateException.class, agg::finish);
    assertThrows(IllegalStateException.class, () -> agg.add(update("b", 1, 1)));
  }
}
