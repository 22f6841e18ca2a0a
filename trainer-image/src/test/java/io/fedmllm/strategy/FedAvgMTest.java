package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.update;
import static io.fedmllm.strategy.Vectors.vec;

import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedAvgMTest {

  @Test
  void momentumIsDeltaInTheFirstRoundThenAnExponentialAverage() {
    FedAvgM strategy = new FedAvgM(Map.of("beta1", 0.5));
    TensorMap global = vec(1, 2);

    // Round 1: Delta = 1/2*([3,2]-[1,2]) + 1/2*([1,4]-[1,2]) = 1/2*[2,0] + 1/2*[0,2] = [1,1]
    // m = Delta = [1,1] (first round); w = [1,2] + [1,1] = [2,3]
    Aggregation r1 = strategy.begin(global, strategy.initialState(global));
    r1.add(update("a", 1, 3, 2));
    r1.add(update("b", 1, 1, 4));
    RoundResult one = r1.finish();
    assertValues(new double[] {2, 3}, one.global(), "w after round 1");
    assertValues(new double[] {1, 1}, one.state().slot("m"), "m after round 1");

    // Round 2 (sample-weighted): Delta = 3/4*([2,3]-[2,3]) + 1/4*([6,3]-[2,3]) = [1,0]
    // m = 0.5*[1,1] + 0.5*[1,0] = [1,0.5]; w = [2,3] + [1,0.5] = [3,3.5]
    Aggregation r2 = strategy.begin(one.global(), one.state());
    r2.add(update("a", 3, 2, 3));
    r2.add(update("b", 1, 6, 3));
    RoundResult two = r2.finish();
    assertValues(new double[] {3, 3.5}, two.global(), "w after round 2");
    assertValues(new double[] {1, 0.5}, two.state().slot("m"), "m after round 2");
  }
}
