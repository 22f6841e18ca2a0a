package io.fedmllm.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.FederatedClient;
import io.fedmllm.train.FederatedSimulation;
import io.fedmllm.train.LocalUpdate;
import io.fedmllm.train.TrainingConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adaptive server optimisers' first rounds on real client deltas, checked against the reference formulas
 * (PAPER.md, Reddi et al. 2021 as the authors' code writes them) computed here in double, independently of
 * {@code strategy/}: the quick preset's setting and schedule (tiny base, hateful aligned:5.0, 10 clients of 100 samples,
 * 3 per round, 30 local steps at the 10-round cosine rate from 3e-3, eta = tau = 1e-3 x 150), first
 * {@link #ROUNDS} rounds. Prints per round the step's size, its ratio to Delta, sqrt(v) / tau and the share of the
 * first moment that is old momentum; docs/benchmark.md quotes the table.
 */
class AdaptiveServerStepTraceTest {
  private static final int ROUNDS = 3;
  private static final double ETA_TAU = BenchmarkPlan.PAPER_SERVER_ETA_TAU * (3e-3 / BenchmarkPlan.PAPER_CLIENT_RATE);
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.99;
  private static final long SEED = 1;

  private static BaseModel base;
  private static List<List<Sample>> clients;
  private static BenchmarkPlan plan;

  @BeforeAll
  static void setUp() throws IOException {
    plan = BenchmarkPlan.preset("quick");
    ModelConfig config = ModelConfig.preset(plan.model());
    base = BaseCache.standard()
        .loadOrPretrain(config, TextTokenizer.builtIn(), BaseCache.defaultSettings(config), 11, System.out);
    SyntheticGenerator generator = new SyntheticGenerator(SEED, config.imageSize());
    clients = new ScenarioPartitioner(plan.clients(), SEED)
        .partition(generator.pool(Task.HATEFUL, plan.poolSamples()), Scenario.parse("aligned:5.0"));
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  @Test
  void fedAdamFollowsTheReferenceOnRealDeltas() {
    trace("fedadam");
  }

  @Test
  void fedYogiFollowsTheReferenceOnRealDeltas() {
    trace("fedyogi");
  }

  @Test
  void fedAdagradFollowsTheReferenceOnRealDeltas() {
    trace("fedadagrad");
  }

  /** The reference's per-element state, in double. */
  private static final class Reference {
    final String rule;
    final Map<String, double[]> m = new HashMap<>();
    final Map<String, double[]> v = new HashMap<>();

    Reference(String rule, TensorMap global) {
      this.rule = rule;
      for (String name : global.names()) {
        int n = global.get(name).data().length;
        m.put(name, new double[n]);
        double[] v0 = new double[n];
        Arrays.fill(v0, ETA_TAU * ETA_TAU);
        v.put(name, v0);
      }
    }
  }

  private void trace(String rule) {
    LoraConfig lora = LoraConfig.paperDefault();
    TrainingConfig training = TrainingConfig.paperDefault(plan.batchSize(), 1).withLocalSteps(plan.localSteps());
    List<String> ids = new ArrayList<>();
    Map<String, FederatedClient> byId = new HashMap<>();
    for (int i = 0; i < clients.size(); i++) {
      ids.add(FederatedSimulation.clientId(i));
      byId.put(ids.get(i), new FederatedClient(base, lora, training, ClientStrategy.none(), clients.get(i), SEED, i));
    }
    ClientSampler sampler = new ClientSampler(plan.clientsPerRound(), SEED);
    ServerStrategy strategy = ServerStrategyConfig.of(rule, ETA_TAU, ETA_TAU, null, null).create(clients.size());
    TensorMap global = base.initialAdapter(lora, SEED);
    ServerState state = strategy.initialState(global);
    Reference ref = new Reference(rule, global);
    System.out.println("| optimiser | round | rms Delta | rms step (ours) | rms step (reference) | max abs diff / rms step"
        + " | step / Delta (rms) | sqrt(v)/tau median | sqrt(v)/tau max | momentum share of m |");
    for (int round = 0; round < ROUNDS; round++) {
      double lr = plan.schedule().rate(round);
      Aggregation aggregation = strategy.begin(global, state);
      List<TensorMap> received = new ArrayList<>();
      for (String id : sampler.sample(ids, round)) {
        LocalUpdate update = byId.get(id).train(round, global, state, lr).update();
        received.add(update.adapter());
        aggregation.add(ClientUpdate.of(id, update.adapter(), update.numSamples()));
      }
      RoundResult result = aggregation.finish();

      double deltaSq = 0;
      double stepRefSq = 0;
      double stepOursSq = 0;
      double maxDiff = 0;
      double oldMomentumDotM = 0;
      double mSq = 0;
      List<Double> ratios = new ArrayList<>();
      for (String name : global.names()) {
        float[] w = global.get(name).data();
        float[] next = result.global().get(name).data();
        double[] m = ref.m.get(name);
        double[] v = ref.v.get(name);
        for (int i = 0; i < w.length; i++) {
          double delta = 0;
          for (TensorMap client : received) {
            delta += ((double) client.get(name).data()[i] - w[i]);
          }
          delta /= received.size();
          double step;
          if (rule.equals("fedadagrad")) {
            v[i] = v[i] + delta * delta;
            step = ETA_TAU * delta / (Math.sqrt(v[i]) + ETA_TAU);
          } else {
            double oldMomentum = round == 0 ? 0 : BETA1 * m[i];
            m[i] = round == 0 ? delta : oldMomentum + (1 - BETA1) * delta;
            oldMomentumDotM += oldMomentum * m[i];
            mSq += m[i] * m[i];
            double m2 = m[i] * m[i];
            v[i] = rule.equals("fedadam")
                ? BETA2 * v[i] + (1 - BETA2) * m2
                : v[i] - (1 - BETA2) * m2 * Math.signum(v[i] - m2);
            step = ETA_TAU * m[i] / (Math.sqrt(v[i]) + ETA_TAU);
          }
          double ours = (double) next[i] - w[i];
          deltaSq += delta * delta;
          stepRefSq += step * step;
          stepOursSq += ours * ours;
          maxDiff = Math.max(maxDiff, Math.abs(ours - step));
          ratios.add(Math.sqrt(v[i]) / ETA_TAU);
        }
      }
      long n = global.elementCount();
      double rmsStep = Math.sqrt(stepRefSq / n);
      ratios.sort(Double::compare);
      System.out.printf("| %s | %d | %.5f | %.5f | %.5f | %.1e | %.3f | %.4f | %.3f | %s |%n", rule, round + 1,
          Math.sqrt(deltaSq / n), Math.sqrt(stepOursSq / n), rmsStep, maxDiff / rmsStep,
          rmsStep / Math.sqrt(deltaSq / n), ratios.get(ratios.size() / 2), ratios.get(ratios.size() - 1),
          rule.equals("fedadagrad") ? "none (no m)" : String.format("%.3f", oldMomentumDotM / mSq));
      assertTrue(maxDiff < 1e-4 * rmsStep + 1e-7,
          rule + " round " + (round + 1) + ": strategy step differs from the reference by " + maxDiff);
      global = result.global();
      state = result.state();
    }
  }
}
