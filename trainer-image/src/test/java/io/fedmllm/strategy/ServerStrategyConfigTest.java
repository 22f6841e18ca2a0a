package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerStrategyConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyNamedStrategyBuildsWithItsDefaults() {
    for (String name : ServerStrategies.NAMES) {
      ServerStrategyConfig config = ServerStrategyConfig.defaults(name);
      assertEquals(name, config.strategyName());
      assertEquals(name, config.create(5).name());
    }
  }

  @Test
  void defaultsRenderAsTheMapBasedStrategiesDid() {
    // ServerState records these texts; committed states must still match after the typed configuration
    assertEquals(ServerStrategies.create("fedadam").parameters(),
        ServerStrategyConfig.defaults("fedadam").create(3).parameters());
    assertEquals(ServerStrategies.create("fedavgm").parameters(),
        ServerStrategyConfig.defaults("fedavgm").create(3).parameters());
    assertEquals(ServerStrategies.create("scaffold", Map.of("numClients", 7)).parameters(),
        ServerStrategyConfig.defaults("scaffold").create(7).parameters());
  }

  @Test
  void scaffoldTakesTheClientCountAtCreation() {
    ServerStrategyConfig scaffold = new ServerStrategyConfig.ScaffoldConfig(0.5);
    assertEquals("eta=0.5,numClients=4", scaffold.create(4).parameters());
    assertEquals("eta=0.5,numClients=9", scaffold.create(9).parameters());
    assertThrows(IllegalArgumentException.class, () -> scaffold.create(0));
  }

  @Test
  void errorsStartWithTheParameterName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerStrategyConfig.of("fedyogi", null, null, null, 1.0));
    assertTrue(e.getMessage().startsWith("beta2 = 1.0: must be in [0, 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ServerStrategyConfig.of("fedavg", 0.1, null, null, null));
    assertTrue(e.getMessage().startsWith("eta: not a parameter of fedavg"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ServerStrategyConfig.FedAdagradConfig(Double.NaN, 1));
    assertTrue(e.getMessage().startsWith("eta = NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ServerStrategyConfig.defaults("fedprox"));
    assertTrue(e.getMessage().contains("valid: fedavg"), e.getMessage());
  }

  @Test
  void jsonNamesTheStrategyAndRoundTrips() throws Exception {
    for (String name : ServerStrategies.NAMES) {
      ServerStrategyConfig config = ServerStrategyConfig.defaults(name);
      String text = JSON.writeValueAsString(config);
      assertTrue(text.contains("\"name\":\"" + name + "\""), text);
      assertEquals(config, JSON.readValue(text, ServerStrategyConfig.class));
    }
    assertEquals(new ServerStrategyConfig.FedAdamConfig(0.01, 0.001, 0.9, 0.99),
        JSON.readValue("{\"name\":\"fedadam\",\"eta\":0.01,\"tau\":0.001,\"beta1\":0.9,\"beta2\":0.99}",
            ServerStrategyConfig.class));
  }
}
