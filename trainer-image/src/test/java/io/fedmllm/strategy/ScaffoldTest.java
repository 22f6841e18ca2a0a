package io.fedmllm.strategy;

import static io.fedmllm.strategy.Vectors.assertValues;
import static io.fedmllm.strategy.Vectors.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.tensor.TensorMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaffoldTest {

  @Test
  void serverUpdateByHand() {
    Scaffold scaffold = new Scaffold(Map.of("numClients", 4));
    TensorMap global = vec(1, 2);
    ServerState initial = scaffold.initialState(global);
    assertValues(new double[] {0, 0}, Scaffold.controlVariate(initial), "c0");

    Aggregation agg = scaffold.begin(global, initial);
    agg.add(ClientUpdate.withControlDelta("a", vec(3, 2), 10, vec(0.4f, -0.8f)));
    agg.add(ClientUpdate.withControlDelta("b", vec(1, 0), 30, vec(0.4f, 0.4f)));
    RoundResult r = agg.finish();
    // sample-weighted delta w (OpenFedLLM's SCAFFOLD server): 1/4*[2,0] + 3/4*[0,-2] = [0.5,-1.5]
    // w = [1,2] + 1.0*[0.5,-1.5] = [1.5,0.5]
    // c = 0 + (|S|/N) mean(delta c), unweighted: (2/4) * [0.4,-0.2] = [0.2,-0.1]
    assertValues(new double[] {1.5, 0.5}, r.global(), "w");
    assertValues(new double[] {0.2, -0.1}, Scaffold.controlVariate(r.state()), "c");
  }

  @Test
  void withDefaultEtaTheWeightsAreFedAvgsWhateverTheControlDeltas() {
    // The reference computes SCAFFOLD's global adapter exactly as FedAvg's; only the control variates differ.
    TensorMap global = Vectors.random(3, 0.02f);
    Scaffold scaffold = new Scaffold(Map.of("numClients", 10));
    Aggregation s = scaffold.begin(global, scaffold.initialState(global));
    FedAvg fedAvg = new FedAvg();
    Aggregation f = fedAvg.begin(global, fedAvg.initialState(global));
    for (int k = 0; k < 4; k++) {
      ClientUpdate u = Vectors.randomUpdate(global, 1, k, true);
      s.add(u);
      f.add(ClientUpdate.of(u.clientId(), u.weights(), u.numSamples()));
    }
    TensorMap expected = f.finish().global();
    TensorMap actual = s.finish().global();
    for (String name : expected.names()) {
      float[] e = expected.get(name).data();
      float[] a = actual.get(name).data();
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-7, name + "[" + i + "]");
      }
    }
  }

  @Test
  void globalStepSizeScalesTheWeightedDelta() {
    Scaffold scaffold = new Scaffold(Map.of("numClients", 2, "eta", 0.5));
    TensorMap global = vec(1, 2);
    Aggregation agg = scaffold.begin(global, scaffold.initialState(global));
    agg.add(ClientUpdate.withControlDelta("a", vec(3, 2), 1, vec(0, 0)));
    agg.add(ClientUpdate.withControlDelta("b", vec(1, 0), 3, vec(0, 0)));
    // delta = 1/4*[2,0] + 3/4*[0,-2] = [0.5,-1.5]; w = [1,2] + 0.5*[0.5,-1.5] = [1.25,1.25]
    assertValues(new double[] {1.25, 1.25}, agg.finish().global(), "w");
  }

  @Test
  void updateWithoutControlDeltaIsRejected() {
    Scaffold scaffold = new Scaffold(Map.of("numClients", 2));
    TensorMap global = vec(1);
    Aggregation agg = scaffold.begin(global, scaffold.initialState(global));
    UpdateRejectedException e = assertThrows(UpdateRejectedException.class,
        () -> agg.add(ClientUpdate.of("a", vec(2), 1)));
    assertEquals(RejectionReason.BAD_FORMAT, e.reason());
    UpdateRejectedException nan = assertThrows(UpdateRejectedException.class,
        () -> agg.add(ClientUpdate.withControlDelta("a", vec(2), 1, vec(Float.NaN))));
    assertEquals(RejectionReason.NAN_OR_INF, nan.reason());
  }

  @Test
  void moreUpdatesThanClientsIsAnError() {
    Scaffold scaffold = new Scaffold(Map.of("numClients", 1));
    TensorMap global = vec(1);
    Aggregation agg = scaffold.begin(global, scaffold.initialState(global));
    agg.add(ClientUpdate.withControlDelta("a", vec(2), 1, vec(0)));
    assertThrows(IllegalArgumentException.class,
        () -> agg.add(ClientUpdate.withControlDelta("b", vec(2), 1, vec(0))));
  }

  @Test
  void clientControlVariateOptionTwo() {
    // c_i+ = c_i - c + (w - y_i) / (steps * lr) = 0.1 - 0.2 + (1.0 - 0.6) / (2 * 0.1) = -0.1 + 2 = 1.9
    TensorMap next = Scaffold.clientControlVariate(vec(0.1f), vec(0.2f), vec(1.0f), vec(0.6f), 2, 0.1);
    assertValues(new double[] {1.9}, next, "c_i+");
    // delta c_i = 1.9 - 0.1 = 1.8
    assertValues(new double[] {1.8}, Scaffold.controlDelta(next, vec(0.1f)), "delta c_i");
  }
}
