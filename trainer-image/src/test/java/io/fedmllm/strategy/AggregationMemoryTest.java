package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.tensor.TensorMap;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aggregation memory must not grow with the number of clients: after 50 updates have been added, none of them may
 * still be reachable from the aggregation (it keeps running sums only).
 */
class AggregationMemoryTest {

  private static final int CLIENTS = 50;

  @ParameterizedTest
  @ValueSource(strings = {"fedavg", "fedavgm", "fedadagrad", "fedadam", "fedyogi", "scaffold"})
  void addedUpdatesAreNotRetained(String name) throws InterruptedException {
    ServerStrategy strategy =
        ServerStrategies.create(name, name.equals("scaffold") ? Map.of("numClients", CLIENTS) : Map.of());
    TensorMap global = Vectors.random(9, 0.02f);
    Aggregation agg = strategy.begin(global, strategy.initialState(global));
    List<WeakReference<Object>> added = addUpdates(agg, global, name.equals("scaffold"));
    assertEquals(CLIENTS, agg.updateCount());

    for (int attempt = 0; attempt < 20 && added.stream().anyMatch(r -> r.get() != null); attempt++) {
      System.gc();
      Thread.sleep(10);
    }
    long retained = added.stream().filter(r -> r.get() != null).count();
    assertEquals(0, retained, "client tensors still reachable after aggregation: " + retained);
    assertTrue(agg.finish().global().sameLayout(global));
  }

  /** Adds updates built here and returns weak references to their arrays only. */
  private static List<WeakReference<Object>> addUpdates(Aggregation agg, TensorMap global, boolean withControl) {
    List<WeakReference<Object>> refs = new ArrayList<>();
    for (int k = 0; k < CLIENTS; k++) {
      ClientUpdate u = Vectors.randomUpdate(global, 1, k, withControl);
      u.weights().forEach(e -> refs.add(new WeakReference<>(e.getValue().data())));
      u.controlDelta().forEach(e -> refs.add(new WeakReference<>(e.getValue().data())));
      refs.add(new WeakReference<>(u));
      agg.add(u);
    }
    return refs;
  }
}
