package io.fedmllm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import ai.djl.Device;
import io.fedmllm.data.Task;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.protocol.RoundPlan;
import io.fedmllm.protocol.TrainedUpdate;
import io.fedmllm.protocol.UpdateCodec;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * A restarted trainer under SCAFFOLD: its client control variate, kept across rounds in the process, is rebuilt from
 * the update it had committed, so the next round's update is bit-identical to the one the first process trains.
 */
class EngineLocalTrainingTest {
  private static final String CLIENT = "client-000";
  private static final FederationConfig CONFIG = new FederationConfig("tiny", Task.HATEFUL, List.of(CLIENT), 2, 1, null, 1,
      60_000, 42, new CosineSchedule(3e-3, 2, 0, 0.1), TrainingConfig.paperDefault(4, 1).withLocalSteps(3),
      LoraConfig.paperDefault(), ClientStrategy.none(), ServerStrategyConfig.defaults("scaffold"));
  private static final ObjectRef REF = new ObjectRef("unused", "0".repeat(64), 0);
  private static BaseModel base;

  @BeforeAll
  static void loadBase() throws Exception {
    ModelConfig config = ModelConfig.preset("tiny");
    base = BaseCache.standard().loadOrPretrain(config, TextTokenizer.builtIn(), BaseCache.defaultSettings(config),
        11, System.out);
  }

  @AfterAll
  static void closeBase() {
    base.close();
  }

  private static EngineLocalTraining training() {
    return new EngineLocalTraining(base, CONFIG, CLIENT,
        new SyntheticData("aligned:0.5", 40, 10, 42).clientSamples(CONFIG, CLIENT));
  }

  private static RoundPlan plan(int round) {
    return new RoundPlan(round, List.of(CLIENT), 0, CONFIG.schedule().rate(round), REF, REF, List.of(CLIENT));
  }

  private static byte[] bytes(TrainedUpdate update) {
    byte[] weights = UpdateCodec.encode(update.weights());
    byte[] control = UpdateCodec.encode(update.controlDelta());
    byte[] both = Arrays.copyOf(weights, weights.length + control.length);
    System.arraycopy(control, 0, both, weights.length, control.length);
    return both;
  }

  @Test
  void aBasePutOnTheCpuTrainsBitIdenticallyToTheDefaultManager() throws Exception {
    ServerStrategy server = CONFIG.createServerStrategy();
    TensorMap global0 = LoraWeights.initialTensors(base.config(), CONFIG.lora(), CONFIG.seed());
    ServerState state0 = server.initialState(global0);
    byte[] expected = bytes(training().train(plan(0), global0, state0));
    try (BaseModel onCpu = BaseModel.decode(base.encode(), "test base", base.config(), TextTokenizer.builtIn(),
        Device.cpu())) {
      assertEquals(Device.cpu(), onCpu.manager().getDevice());
      EngineLocalTraining training = new EngineLocalTraining(onCpu, CONFIG, CLIENT,
          new SyntheticData("aligned:0.5", 40, 10, 42).clientSamples(CONFIG, CLIENT));
      assertArrayEquals(expected, bytes(training.train(plan(0), global0, state0)));
    }
  }

  @Test
  void aRestartedTrainerContinuesScaffoldsControlVariateFromItsCommittedUpdate() {
    ServerStrategy server = CONFIG.createServerStrategy();
    TensorMap global0 = LoraWeights.initialTensors(base.config(), CONFIG.lora(), CONFIG.seed());
    ServerState state0 = server.initialState(global0);

    EngineLocalTraining uninterrupted = training();
    TrainedUpdate round0 = uninterrupted.train(plan(0), global0, state0);
    var aggregation = server.begin(global0, state0);
    aggregation.add(ClientUpdate.withControlDelta(CLIENT, round0.weights(), round0.numSamples(),
        round0.controlDelta()));
    RoundResult after0 = aggregation.finish();
    byte[] expected = bytes(uninterrupted.train(plan(1), after0.global(), after0.state()));

    EngineLocalTraining restarted = training();
    TensorMap committed = UpdateCodec.decode(UpdateCodec.encode(round0.weights()), "committed update");
    restarted.adoptCommitted(plan(0), global0, state0, committed, round0.steps());
    assertArrayEquals(expected, bytes(restarted.train(plan(1), after0.global(), after0.state())));

    EngineLocalTraining forgetful = training();
    assertFalse(Arrays.equals(expected, bytes(forgetful.train(plan(1), after0.global(), after0.state()))),
        "without the committed update the control variate starts from zero again");
  }
}
