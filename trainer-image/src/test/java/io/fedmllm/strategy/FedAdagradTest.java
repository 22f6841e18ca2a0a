package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.update;
import static io.fedmllm.strategy.Vectors.vec;

import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedAdagradTest {

  @Test
  void unweightedDeltaAccumulatedSquared() {
    FedAdagrad strategy = new FedAdagrad(Map.of("eta", 0.1, "tau", 0.5));
    TensorMap global = vec(0, 1, -1);
    ServerState initial = strategy.initialState(global);
    // v starts at tau^2 = 0.25
    assertValues(new double[] {0.25, 0.25, 0.25}, initial.slot("v"), "v0");

    Aggregation agg = strategy.begin(global, initial);
    agg.add(update("a", 1, 1, 1, -1));
    agg.add(update("b", 100, 1, 3, -1)); // sample counts do not matter: unweighted mean
    RoundResult r = agg.finish();
    // Delta = mean([1,0,0], [1,2,0]) = [1,1,0]
    // v = 0.25 + Delta^2 = [1.25, 1.25, 0.25]; sqrt(1.25) = 1.1180340
    // w = w + 0.1 * Delta / (sqrt(v) + 0.5) = [0 + 0.1/1.6180340, 1 + 0.1/1.6180340, -1 + 0]
    //   = [0.0618034, 1.0618034, -1]
    assertValues(new double[] {0.0618034, 1.0618034, -1}, r.global(), "w");
    assertValues(new double[] {1.25, 1.25, 0.25}, r.state().slot("v"), "v");
  }
}
