package io.fedmllm.bench;

import io.fedmllm.data.Task;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.strategy.ServerStrategyConfig;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark run covers: task, model preset, heterogeneity settings, methods and seeds, and the federation's
 * size and schedule. Presets {@code quick} (minutes, run by the test suite) and {@code full} (the paper's 12
 * settings, 10 clients, several seeds; hours on two cores).
 *
 * @param serverScale the factor applied to the paper's adaptive-optimiser eta and tau (both 1e-3), see
 *     {@link #serverStrategy(String)}
 */
public record BenchmarkPlan(
    String preset,
    Task task,
    String model,
    List<Scenario> settings,
    List<Method> methods,
    List<Long> seeds,
    int clients,
    int clientsPerRound,
    int rounds,
    int localSteps,
    int batchSize,
    double learningRate,
    double serverScale,
    int poolSamples,
    int testSamples) {

  /** The client learning rate the paper's server hyper-parameters were chosen for. */
  public static final double PAPER_CLIENT_RATE = 2e-5;

  /** The paper's eta and tau of FedAdam, FedYogi and FedAdagrad. */
  public static final double PAPER_SERVER_ETA_TAU = 1e-3;

  public static final List<String> ALL_SETTINGS =
      List.of("aligned:5.0", "aligned:1.0", "aligned:0.5",
          "missing:0.3", "missing:0.4", "missing:0.5",
          "cross:3:7", "cross:5:5", "cross:7:3",
          "hybrid:0.8", "hybrid:0.7", "hybrid:0.6");

  public static BenchmarkPlan preset(String name) {
    return switch (name) {
      case "quick" -> new BenchmarkPlan("quick", Task.HATEFUL, "tiny",
          List.of(Scenario.parse("aligned:5.0")),
          List.of(Method.parse("zero-shot"), Method.parse("local-only"), Method.parse("fedavg"),
              Method.parse("fedadagrad+paper")),
          List.of(1L), 10, 3, 10, 30, 8, 3e-3, 3e-3 / PAPER_CLIENT_RATE, 1000, 400);
      case "full" -> new BenchmarkPlan("full", Task.HATEFUL, "tiny",
          ALL_SETTINGS.stream().map(Scenario::parse).toList(), Method.all(), List.of(1L, 2L, 3L),
          10, 3, 10, 30, 8, 3e-3, 3e-3 / PAPER_CLIENT_RATE, 1000, 300);
      case "paper-2of10", "paper-3of10" -> paperSchedule(name, name.equals("paper-2of10") ? 2 : 3);
      default -> throw new IllegalArgumentException(
          "unknown benchmark preset '" + name + "' (known: quick, full, paper-2of10, paper-3of10)");
    };
  }

  /** Rounds of the paper's Hateful-Memes schedule (evaluated at 25). */
  public static final int PAPER_ROUNDS = 25;

  /**
   * The paper's schedule shape scaled down to a 2-core machine: {@link #PAPER_ROUNDS} rounds of one local epoch
   * each (13 steps of 8 = the 100 samples a client holds on average), {@code perRound} of 10 clients sampled per
   * round; client rate, server scale, data and model as the full preset. Scaled down: one seed, two settings
   * (aligned:5.0 and missing:0.5, where FedAvgM's collapse would show) and the methods the findings are about.
   */
  private static BenchmarkPlan paperSchedule(String name, int perRound) {
    int clients = 10;
    int poolSamples = 1000;
    int batchSize = 8;
    int oneEpoch = (poolSamples / clients + batchSize - 1) / batchSize;
    return new BenchmarkPlan(name, Task.HATEFUL, "tiny",
        List.of(Scenario.parse("aligned:5.0"), Scenario.parse("missing:0.5")),
        List.of(Method.parse("zero-shot"), Method.parse("fedavg"), Method.parse("fedavgm"), Method.parse("fedadam"),
            Method.parse("fedyogi"), Method.parse("fedadagrad")),
        List.of(1L), clients, perRound, PAPER_ROUNDS, oneEpoch, batchSize, 3e-3, 3e-3 / PAPER_CLIENT_RATE,
        poolSamples, 300);
  }

  public BenchmarkPlan withTask(Task t) {
    return new BenchmarkPlan(preset, t, model, settings, methods, seeds, clients, clientsPerRound, rounds,
        localSteps, batchSize, learningRate, serverScale, poolSamples, testSamples);
  }

  public BenchmarkPlan withSettings(List<Scenario> s) {
    return new BenchmarkPlan(preset, task, model, s, methods, seeds, clients, clientsPerRound, rounds,
        localSteps, batchSize, learningRate, serverScale, poolSamples, testSamples);
  }

  public BenchmarkPlan withMethods(List<Method> m) {
    return new BenchmarkPlan(preset, task, model, settings, m, seeds, clients, clientsPerRound, rounds,
        localSteps, batchSize, learningRate, serverScale, poolSamples, testSamples);
  }

  /** The same plan with another schedule: rounds, local steps per round and the adaptive server scale. */
  public BenchmarkPlan withSchedule(int newRounds, int newLocalSteps, double newServerScale) {
    return new BenchmarkPlan(preset, task, model, settings, methods, seeds, clients, clientsPerRound, newRounds,
        newLocalSteps, batchSize, learningRate, newServerScale, poolSamples, testSamples);
  }

  public BenchmarkPlan withSeeds(List<Long> s) {
    return new BenchmarkPlan(preset, task, model, settings, methods, s, clients, clientsPerRound, rounds,
        localSteps, batchSize, learningRate, serverScale, poolSamples, testSamples);
  }

  /**
   * The server strategy a method runs with (SCAFFOLD's client count, the plan's clients, is given when the
   * simulation builds it). FedAdam, FedYogi and FedAdagrad get the paper's eta and tau (1e-3 each) times
   * {@link #serverScale()}. Their update {@code w += eta m / (sqrt(v) + tau)} with {@code v0 =
   * tau^2} is unchanged when Delta, eta and tau are all multiplied by the same factor (the step scales with it), so
   * scaling both by the ratio of our client rate to the paper's (3e-3 / 2e-5 = 150: deltas grow with the client
   * rate) runs the paper's optimisers in the paper's regime. Scaling eta alone would not: with deltas far above tau
   * every weight would move by about eta times a sign, noise included.
   */
  public ServerStrategyConfig serverStrategy(String strategy) {
    return switch (strategy) {
      case "fedadam", "fedyogi", "fedadagrad" -> ServerStrategyConfig.of(strategy,
          PAPER_SERVER_ETA_TAU * serverScale, PAPER_SERVER_ETA_TAU * serverScale, null, null);
      default -> ServerStrategyConfig.defaults(strategy);
    };
  }

  /** The federation's learning-rate schedule across rounds. */
  public io.fedmllm.train.CosineSchedule schedule() {
    return new io.fedmllm.train.CosineSchedule(learningRate, rounds, 0.0, 0.1);
  }

  /** The learning rate of local-only training: the federation's schedule averaged over its rounds. */
  public double localOnlyLearningRate() {
    double sum = 0;
    for (int r = 0; r < rounds; r++) {
      sum += schedule().rate(r);
    }
    return sum / rounds;
  }

  /** How many of this plan's cells (setting x seed x method) for {@code setting} are not in {@code done}. */
  public int remainingCells(Scenario setting, Collection<BenchmarkResult> done) {
    int remaining = 0;
    for (long seed : seeds) {
      for (Method method : methods) {
        boolean present = done.stream().anyMatch(r -> r.isCell(method.name(), setting.spec(), seed));
        remaining += present ? 0 : 1;
      }
    }
    return remaining;
  }

  /**
   * {@code results} with one result per (method, setting, seed), the first given winning, in this plan's order:
   * setting, then seed, then method; results outside the plan follow in their given order. Tables built from it
   * list settings and methods as the plan does, however the results were produced.
   */
  public List<BenchmarkResult> inPlanOrder(Collection<BenchmarkResult> results) {
    Map<String, BenchmarkResult> unique = new LinkedHashMap<>();
    for (BenchmarkResult r : results) {
      unique.putIfAbsent(r.method() + "|" + r.setting() + "|" + r.seed(), r);
    }
    List<String> settingOrder = settings.stream().map(Scenario::spec).toList();
    List<String> methodOrder = methods.stream().map(Method::name).toList();
    Comparator<BenchmarkResult> byPlan = Comparator
        .comparingInt((BenchmarkResult r) -> rank(settingOrder, r.setting()))
        .thenComparingInt(r -> rank(seeds, r.seed()))
        .thenComparingInt(r -> rank(methodOrder, r.method()));
    return unique.values().stream().sorted(byPlan).toList();
  }

  private static <T> int rank(List<T> order, T value) {
    int i = order.indexOf(value);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** Local steps a local-only client takes: as many as it would take in the federation, on average. */
  public int localOnlySteps() {
    return Math.max(1, (int) Math.round((double) rounds * localSteps * clientsPerRound / clients));
  }
}
