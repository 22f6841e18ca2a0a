package io.fedmllm.bench;

import io.fedmllm.data.Sample;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ImagePreprocessor;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.Evaluation;
import io.fedmllm.protocol.TransferDtype;
import io.fedmllm.train.FederatedSimulation;
import io.fedmllm.train.LocalTrainer;
import io.fedmllm.train.LocalUpdate;
import io.fedmllm.train.MultipleChoiceEvaluator;
import io.fedmllm.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link BenchmarkPlan}: for every setting and seed it partitions the same labelled pool, scores the zero-shot
 * base once, trains every method and records the task metric on the held-out test split. Each setting's wall time
 * and peak resident memory are reported as it finishes (not for a setting whose cells were all done already).
 */
public final class BenchmarkRunner {
  /** Wall time and peak RSS of one setting. */
  public record SettingCost(String setting, double seconds, double peakRssMb) {}

  private final BaseModel base;
  private final BenchmarkPlan plan;
  private final PrintStream log;
  private final TransferDtype transfer;
  private final LoraConfig lora = LoraConfig.paperDefault();

  public BenchmarkRunner(BaseModel base, BenchmarkPlan plan, PrintStream log) {
    this(base, plan, TransferDtype.FLOAT32, log);
  }

  /** @param transfer the element type the federated methods' client updates reach the aggregation in */
  public BenchmarkRunner(BaseModel base, BenchmarkPlan plan, TransferDtype transfer, PrintStream log) {
    this.transfer = transfer;
    this.base = base;
    this.plan = plan;
    this.log = log;
  }

  public List<BenchmarkResult> run(Consumer<SettingCost> onSetting) {
    return run(List.of(), r -> { }, onSetting);
  }

  /**
   * Runs the cells of the plan that {@code done} does not hold yet (a long benchmark can be resumed), reporting
   * each new result as it arrives. Returns the done and the new results together.
   */
  public List<BenchmarkResult> run(
      List<BenchmarkResult> done, Consumer<BenchmarkResult> onResult, Consumer<SettingCost> onSetting) {
    List<BenchmarkResult> results = new ArrayList<>(done);
    for (Scenario setting : plan.settings()) {
      resetPeakRss();
      long started = System.nanoTime();
      boolean ran = false;
      for (long seed : plan.seeds()) {
        List<Method> todo = plan.methods().stream()
            .filter(m -> done.stream().noneMatch(r -> r.isCell(m.name(), setting.spec(), seed)))
            .toList();
        if (!todo.isEmpty()) {
          ran = true;
          for (BenchmarkResult r : runSetting(setting, seed, todo, onResult)) {
            results.add(r);
          }
        }
      }
      if (ran) {
        onSetting.accept(new SettingCost(setting.spec(), (System.nanoTime() - started) / 1e9, peakRssMb()));
      }
    }
    return results;
  }

  private List<BenchmarkResult> runSetting(
      Scenario setting, long seed, List<Method> methods, Consumer<BenchmarkResult> onResult) {
    SyntheticGenerator generator = new SyntheticGenerator(seed, base.config().imageSize());
    List<List<Sample>> clients =
        new ScenarioPartitioner(plan.clients(), seed).partition(generator.pool(plan.task(), plan.poolSamples()), setting);
    List<Sample> test = generator.test(plan.task(), plan.testSamples());
    MultipleChoiceEvaluator evaluator = new MultipleChoiceEvaluator(base, lora);
    ImagePreprocessor testImages = base.newImagePreprocessor();
    TensorMap initial = LoraWeights.initialTensors(base.config(), lora, seed);
    long zeroStarted = System.nanoTime();
    Evaluation zeroShot = evaluator.evaluate(plan.task(), initial, test, testImages);
    double zeroSeconds = (System.nanoTime() - zeroStarted) / 1e9;
    List<BenchmarkResult> out = new ArrayList<>();
    for (Method method : methods) {
      long started = System.nanoTime();
      Evaluation evaluation =
          switch (method.kind()) {
            case ZERO_SHOT -> zeroShot;
            case LOCAL_ONLY -> localOnly(clients, test, testImages, initial, seed, evaluator);
            case FEDERATED -> federated(method, clients, test, zeroShot, seed);
          };
      double seconds = method.kind() == Method.Kind.ZERO_SHOT ? zeroSeconds : (System.nanoTime() - started) / 1e9;
      BenchmarkResult result =
          new BenchmarkResult(method.name(), setting.spec(), seed, evaluation.metric(), evaluation.accuracy(), seconds);
      log.printf("  %-12s %-18s seed %d  %s %.4f  accuracy %.4f  (%.0f s)%n",
          setting.spec(), method.name(), seed, evaluation.metricName(), result.metric(), result.accuracy(), seconds);
      out.add(result);
      onResult.accept(result);
    }
    return out;
  }

  /** Every client trains alone for as many steps as it would in the federation; the mean of their scores. */
  private Evaluation localOnly(
      List<List<Sample>> clients, List<Sample> test, ImagePreprocessor testImages, TensorMap initial, long seed,
      MultipleChoiceEvaluator evaluator) {
    LocalTrainer trainer =
        new LocalTrainer(base, lora, TrainingConfig.paperDefault(plan.batchSize(), 1).withLocalSteps(plan.localOnlySteps()));
    double metric = 0;
    double accuracy = 0;
    for (int i = 0; i < clients.size(); i++) {
      LocalUpdate update =
          trainer.train(initial, clients.get(i), base.newImagePreprocessor(), plan.localOnlyLearningRate(), seed * 31 + i,
              List.of());
      Evaluation e = evaluator.evaluate(plan.task(), update.adapter(), test, testImages);
      metric += e.metric();
      accuracy += e.accuracy();
    }
    return new Evaluation(plan.task(), metric / clients.size(), accuracy / clients.size(), test.size());
  }

  private Evaluation federated(
      Method method, List<List<Sample>> clients, List<Sample> test, Evaluation zeroShot, long seed) {
    ServerStrategyConfig server = plan.serverStrategy(method.serverStrategy());
    ClientStrategy clientStrategy =
        switch (method.clientPlugin()) {
          case NONE -> ClientStrategy.none();
          case FEDPROX -> ClientStrategy.fedProx(ClientStrategy.DEFAULT_MU);
          case PAPER -> ClientStrategy.paperStrategiesFor(base.config().layers());
        };
    FederatedSimulation.Settings settings =
        new FederatedSimulation.Settings(
            plan.rounds(), plan.clientsPerRound(), plan.schedule(),
            TrainingConfig.paperDefault(plan.batchSize(), 1).withLocalSteps(plan.localSteps()), clientStrategy, seed,
            plan.rounds());
    Evaluation baseline = clientStrategy.modalityAgnosticPrompt() ? null : zeroShot;
    return new FederatedSimulation(base, lora, server, settings, transfer::roundTrip).run(plan.task(), clients, test, baseline, r -> { })
        .last();
  }

  /** Resets the kernel's peak-RSS counter (VmHWM) so each setting reports its own peak (Linux). */
  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux or not permitted: the peak then covers the whole run so far, which the table says.
    }
  }

  /** VmHWM of this process (Linux) in MiB, NaN where the kernel does not report it. */
  public static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
