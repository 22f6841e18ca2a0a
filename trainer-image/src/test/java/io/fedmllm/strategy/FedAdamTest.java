package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.update;
import static io.fedmllm.strategy.Vectors.vec;

import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedAdamTest {

  private final FedAdam adam = new FedAdam(Map.of("eta", 0.1, "tau", 0.5, "beta1", 0.5, "beta2", 0.5));

  @Test
  void twoRoundsByHand() {
    TensorMap global = vec(0, 0);
    ServerState initial = adam.initialState(global);
    assertValues(new double[] {0, 0}, initial.slot("m"), "m0");
    assertValues(new double[] {0.25, 0.25}, initial.slot("v"), "v0 = tau^2");

    // Round 1: Delta = mean([1,0], [0,0]) = [0.5, 0]; m = Delta = [0.5, 0] (first round)
    // v = 0.5*0.25 + 0.5*m^2 = [0.125+0.125, 0.125] = [0.25, 0.125]
    // w = 0.1 * m / (sqrt(v) + 0.5) = [0.1*0.5/(0.5+0.5), 0] = [0.05, 0]
    Aggregation r1 = adam.begin(global, initial);
    r1.add(update("a", 1, 1, 0));
    r1.add(update("b", 9, 0, 0));
    RoundResult one = r1.finish();
    assertValues(new double[] {0.05, 0}, one.global(), "w1");
    assertValues(new double[] {0.5, 0}, one.state().slot("m"), "m1");
    assertValues(new double[] {0.25, 0.125}, one.state().slot("v"), "v1");

    // Round 2: Delta = [0, 0.7]; m = 0.5*[0.5,0] + 0.5*[0,0.7] = [0.25, 0.35]
    // v = 0.5*[0.25,0.125] + 0.5*[0.0625,0.1225] = [0.15625, 0.12375]
    // w = [0.05 + 0.1*0.25/(0.3952847+0.5), 0 + 0.1*0.35/(0.3517812+0.5)] = [0.0779241, 0.0410904]
    Aggregation r2 = adam.begin(one.global(), one.state());
    r2.add(update("a", 1, 0.05f, 0.7f));
    r2.add(update("b", 1, 0.05f, 0.7f));
    RoundResult two = r2.finish();
    assertValues(new double[] {0.0779241, 0.0410904}, two.global(), "w2");
    assertValues(new double[] {0.25, 0.35}, two.state().slot("m"), "m2");
    assertValues(new double[] {0.15625, 0.12375}, two.state().slot("v"), "v2");
  }

  @Test
  void paperDefaults() {
    ServerStrategy defaults = ServerStrategies.create("fedadam");
    org.junit.jupiter.api.Assertions.assertEquals("beta1=0.9,beta2=0.99,eta=0.001,tau=0.001", defaults.parameters());
  }
}
