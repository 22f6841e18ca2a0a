package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelFixtures;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.strategy.client.ScaffoldCorrection;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
  private static final LoraConfig LORA = LoraConfig.paperDefault();
  private static BaseModel base;
  private static List<Sample> samples;

  @BeforeAll
  static void setUp() {
    base = ModelFixtures.tinyBase(21);
    samples = ModelFixtures.mixedSamples(24);
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static LocalUpdate train(TrainingConfig config, long seed, ClientStrategy strategy, TensorMap global) {
    return new LocalTrainer(base, LORA, config)
        .train(global, samples, base.newImagePreprocessor(), 5e-3, seed, strategy.terms(base.config().layers(), global));
  }

  @Test
  void theUpdateCarriesTheMostMemoryAnyStepLeftInUse() {
    long[] readings = {300, 900, 500};
    int[] reads = {0};
    DeviceMemory memory = new DeviceMemory(device -> {
      throw new AssertionError("a CPU base is not measured as a GPU");
    }, () -> readings[reads[0]++]);
    TrainingConfig config = TrainingConfig.paperDefault(4, 1).withLocalSteps(3);
    LocalUpdate update = new LocalTrainer(base, LORA, config, seconds -> {}, memory).train(
        LoraWeights.initialTensors(base.config(), LORA, 1), samples, base.newImagePreprocessor(), 5e-3, 7, List.of());
    assertEquals(3, reads[0], "one reading per optimiser step");
    assertEquals(900, update.peakMemoryBytes());
    LocalUpdate measured = train(config, 7, ClientStrategy.none(), LoraWeights.initialTensors(base.config(), LORA, 1));
    assertTrue(measured.peakMemoryBytes() > 50L << 20, "the process's resident set: " + measured.peakMemoryBytes());
  }

  @Test
  void sameSeedGivesBitIdenticalAdaptersAndDifferentSeedDoesNot() {
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    TrainingConfig config = TrainingConfig.paperDefault(4, 2).withLocalSteps(3);
    LocalUpdate a = train(config, 7, ClientStrategy.none(), global);
    LocalUpdate b = train(config, 7, ClientStrategy.none(), global);
    LocalUpdate c = train(config, 8, ClientStrategy.none(), global);
    assertEquals(a.adapter(), b.adapter());
    assertEquals(a.meanLoss(), b.meanLoss());
    assertNotEquals(a.adapter(), c.adapter());
    assertEquals(samples.size(), a.numSamples());
    assertEquals(3, a.steps());
  }

  @Test
  void dropoutMasksDependOnlyOnTheClientsSeedNotOnOtherDrawsFromTheEngine() {
    // masks come from the engine's one global generator, each seeded from the client's own stream
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    TrainingConfig config = TrainingConfig.paperDefault(4, 1).withLocalSteps(4);
    LocalUpdate first = train(config, 7, ClientStrategy.none(), global);
    train(config, 8, ClientStrategy.none(), global);
    try (NDManager other = base.manager().newSubManager()) {
      other.randomUniform(0f, 1f, new Shape(1000)).toFloatArray(); // someone else advances the generator
    }
    assertEquals(first.adapter(), train(config, 7, ClientStrategy.none(), global).adapter());
  }

  @Test
  void trainingLowersTheLossOnTheClientsData() {
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    TrainingConfig config = TrainingConfig.paperDefault(8, 1).withLocalSteps(1);
    double before = train(config, 3, ClientStrategy.none(), global).meanLoss();
    TensorMap trained = train(config.withLocalSteps(40), 3, ClientStrategy.none(), global).adapter();
    double after = train(config, 3, ClientStrategy.none(), trained).meanLoss();
    assertTrue(after < before - 0.5, "loss " + before + " -> " + after);
  }

  @Test
  void proximalTermKeepsTheAdapterCloserToTheGlobal() {
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    TrainingConfig config = TrainingConfig.paperDefault(8, 1).withLocalSteps(15);
    TensorMap free = train(config, 3, ClientStrategy.none(), global).adapter();
    TensorMap anchored = train(config, 3, ClientStrategy.fedProx(50.0), global).adapter();
    assertTrue(distance(anchored, global) < distance(free, global),
        "FedProx distance " + distance(anchored, global) + " vs free " + distance(free, global));
  }

  @Test
  void scaffoldCorrectionShiftsOneStepByMinusLrTimesTheControlDifference() {
    // OpenFedLLM's SCAFFOLD client corrects the parameters after each optimiser step: theta -= lr (c - c_i). After one
    // step the corrected adapter is therefore the uncorrected one shifted by -lr (c - c_i), and option II's new client
    // variate c_i - c + (w - y) / (K lr) is the client's own uncorrected step per unit rate, whatever c and c_i were.
    // Adding c - c_i to the gradient instead fails both: AdamW rescales whatever it is given to about lr per element.
    TensorMap global = LoraWeights.initialTensors(base.config(), LORA, 1);
    TrainingConfig config = TrainingConfig.paperDefault(8, 1).withLocalSteps(1);
    double lr = 5e-3;
    TensorMap serverControl = pattern(global, 0.5, 0);
    TensorMap clientControl = pattern(global, 0.2, 1);
    LocalTrainer trainer = new LocalTrainer(base, LORA, config);
    TensorMap plain = trainer.train(global, samples, base.newImagePreprocessor(), lr, 3, List.of()).adapter();
    TensorMap corrected = trainer.train(global, samples, base.newImagePreprocessor(), lr, 3,
        List.of(new ScaffoldCorrection(serverControl, clientControl))).adapter();
    TensorMap nextControl = Scaffold.clientControlVariate(clientControl, serverControl, global, corrected, 1, lr);
    for (String name : global.names()) {
      float[] w = global.get(name).data();
      float[] y = plain.get(name).data();
      float[] yc = corrected.get(name).data();
      float[] c = serverControl.get(name).data();
      float[] ci = clientControl.get(name).data();
      float[] next = nextControl.get(name).data();
      for (int i = 0; i < w.length; i++) {
        assertEquals(y[i] - lr * (c[i] - ci[i]), yc[i], 1e-6, name + "[" + i + "]");
        assertEquals((w[i] - y[i]) / lr, next[i], 2e-3, "c_i+ " + name + "[" + i + "]");
      }
    }
  }

  @Test
  void epochsTranslateToStepsBySampleCount() {
    assertEquals(3, TrainingConfig.paperDefault(4, 2).stepsFor(24));
    assertEquals(1, TrainingConfig.paperDefault(4, 2).stepsFor(1));
  }

  private static double distance(TensorMap a, TensorMap b) {
    double sum = 0;
    for (String name : a.names()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) {
        sum += (x[i] - y[i]) * (double) (x[i] - y[i]);
      }
    }
    return Math.sqrt(sum);
  }

  /** Deterministic values of about {@code scale} in every element, different for each {@code phase}. */
  private static TensorMap pattern(TensorMap layout, double scale, int phase) {
    TensorMap.Builder out = TensorMap.builder();
    int k = 0;
    for (String name : layout.names()) {
      float[] v = new float[layout.get(name).data().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (scale * Math.sin(0.7 * k++ + phase));
      }
      out.put(name, new Tensor(layout.get(name).shape(), v));
    }
    return out.build();
  }
}
