package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServerStrategiesTest {

  @Test
  void createsEveryNamedStrategy() {
    for (String name : ServerStrategies.NAMES) {
      Map<String, Integer> params = name.equals("scaffold") ? Map.of("numClients", 10) : Map.of();
      assertEquals(name, ServerStrategies.create(name, params).name());
    }
    assertEquals("fedyogi", ServerStrategies.create(" FedYogi ").name());
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerStrategies.create("fedprox"));
    assertEquals("unknown server strategy 'fedprox'; valid: fedavg, fedavgm, fedadagrad, fedadam, fedyogi, scaffold",
        e.getMessage());
  }

  @Test
  void unknownParameterListsTheStrategysParameters() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerStrategies.create("fedadam", Map.of("lr", 0.1)));
    assertEquals("unknown parameter [lr] for strategy fedadam; valid: [beta1, beta2, eta, tau]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServerStrategies.create("fedavg", Map.of("beta1", 0.9)));
  }

  @Test
  void outOfRangeAndMissingParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerStrategies.create("fedadam", Map.of("beta1", 1.0)));
    assertThrows(IllegalArgumentException.class, () -> ServerStrategies.create("fedyogi", Map.of("tau", 0)));
    assertThrows(IllegalArgumentException.class, () -> ServerStrategies.create("fedadagrad", Map.of("eta", -1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerStrategies.create("scaffold"));
    assertTrue(e.getMessage().contains("numClients"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServerStrategies.create("scaffold", Map.of("numClients", 2.5)));
  }

  @Test
  void resultDoesNotDependOnArrivalOrderWhenAddedSortedById() {
    for (String name : List.of("fedavg", "fedadam")) {
      ServerStrategy s = ServerStrategies.create(name);
      TensorMap global = Vectors.random(5, 0.02f);
      List<ClientUpdate> arrivals = new ArrayList<>();
      for (int k = 0; k < 12; k++) {
        arrivals.add(Vectors.randomUpdate(global, 1, k, false));
      }
      TensorMap reference = null;
      for (long seed = 0; seed < 5; seed++) {
        Collections.shuffle(arrivals, new Random(seed));
        List<ClientUpdate> sorted = new ArrayList<>(arrivals);
        sorted.sort(Comparator.comparing(ClientUpdate::clientId));
        Aggregation agg = s.begin(global, s.initialState(global));
        sorted.forEach(agg::add);
        TensorMap result = agg.finish().global();
        if (reference == null) {
          reference = result;
        }
        assertEquals(reference, result, name + " with arrival order seed " + seed);
      }
    }
  }
}
