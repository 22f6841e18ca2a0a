package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.update;
import static io.fedmllm.strategy.Vectors.vec;

import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedYogiTest {

  private final FedYogi yogi = new FedYogi(Map.of("eta", 0.1, "tau", 0.5, "beta1", 0.5, "beta2", 0.5));

  @Test
  void twoRoundsByHandCoveringEverySignOfVMinusMSquared() {
    TensorMap global = vec(0, 0);

    // Round 1: Delta = [0.5, 0]; m = Delta = [0.5, 0]; m^2 = [0.25, 0]; v0 = [0.25, 0.25]
    // sign(v - m^2) = [0, +1] -> v = [0.25 - 0.5*0.25*0, 0.25 - 0.5*0*1] = [0.25, 0.25]
    // w = [0.1*0.5/(0.5+0.5), 0] = [0.05, 0]
    Aggregation r1 = yogi.begin(global, yogi.initialState(global));
    r1.add(update("a", 1, 1, 0));
    r1.add(update("b", 1, 0, 0));
    RoundResult one = r1.finish();
    assertValues(new double[] {0.05, 0}, one.global(), "w1");
    assertValues(new double[] {0.25, 0.25}, one.state().slot("v"), "v1");

    // Round 2: Delta = [0, 1.4]; m = 0.5*[0.5,0] + 0.5*[0,1.4] = [0.25, 0.7]; m^2 = [0.0625, 0.49]
    // sign(v - m^2) = [+1, -1] -> v = [0.25 - 0.5*0.0625, 0.25 + 0.5*0.49] = [0.21875, 0.495]
    // w = [0.05 + 0.1*0.25/(sqrt(0.21875)+0.5), 0.1*0.7/(sqrt(0.495)+0.5)] = [0.0758343, 0.0581607]
    // (FedAdam would give v = [0.15625, 0.37]: Yogi moves v by at most (1-beta2) m^2.)
    Aggregation r2 = yogi.begin(one.global(), one.state());
    r2.add(update("a", 1, 0.05f, 1.4f));
    r2.add(update("b", 1, 0.05f, 1.4f));
    RoundResult two = r2.finish();
    assertValues(new double[] {0.0758343, 0.0581607}, two.global(), "w2");
    assertValues(new double[] {0.25, 0.7}, two.state().slot("m"), "m2");
    assertValues(new double[] {0.21875, 0.495}, two.state().slot("v"), "v2");
  }
}
