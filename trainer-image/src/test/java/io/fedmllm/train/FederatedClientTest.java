package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelFixtures;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one client round loop the simulation and the protocol trainer share. */
class FederatedClientTest {
  private static final LoraConfig LORA = LoraConfig.paperDefault();
  private static final TrainingConfig TWO_STEPS = TrainingConfig.paperDefault(4, 1).withLocalSteps(2);
  private static BaseModel base;
  private static List<Sample> samples;

  @BeforeAll
  static void setUp() {
    base = ModelFixtures.tinyBase(21);
    samples = ModelFixtures.mixedSamples(16);
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static FederatedClient client(int index) {
    return new FederatedClient(base, LORA, TWO_STEPS, ClientStrategy.none(), samples, 42, index);
  }

  @Test
  void roundSeedIsTheFormulaCommittedRunsWereTrainedWith() {
    assertEquals(42 * 7919L + 3 * 131L + 2, FederatedClient.roundSeed(42, 3, 2));
  }

  @Test
  void sameRoundAndClientGiveTheSameBytesAndTheSeedDependsOnBoth() {
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    ServerState fedAvg = new ServerStrategyConfig.FedAvgConfig().create(2).initialState(global);
    TensorMap a = client(0).train(0, global, fedAvg, 5e-3).update().adapter();
    assertEquals(a, client(0).train(0, global, fedAvg, 5e-3).update().adapter());
    assertNotEquals(a, client(1).train(0, global, fedAvg, 5e-3).update().adapter());
    assertNotEquals(a, client(0).train(1, global, fedAvg, 5e-3).update().adapter());
    assertFalse(client(0).train(0, global, fedAvg, 5e-3).hasControlDelta());
  }

  @Test
  void underScaffoldTheClientSendsItsControlDeltaAndKeepsItsVariate() {
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    ServerStrategy scaffold = new ServerStrategyConfig.ScaffoldConfig(1.0).create(2);
    ServerState state = scaffold.initialState(global);
    FederatedClient client = client(0);
    FederatedClient.RoundUpdate first = client.train(0, global, state, 5e-3);
    assertTrue(first.hasControlDelta());
    global.requireSameLayout(first.controlDelta(), "control delta");
    // round 1 starts from this client's own c_i, so the same inputs give another result than a fresh client's
    FederatedClient.RoundUpdate again = client.train(0, global, state, 5e-3);
    assertNotEquals(first.update().adapter(), again.update().adapter());
  }
}
