package io.fedmllm.cli;

import io.fedmllm.bench.BenchmarkPlan;
import io.fedmllm.bench.BenchmarkResult;
import io.fedmllm.bench.BenchmarkRunner;
import io.fedmllm.bench.BenchmarkWorkers;
import io.fedmllm.bench.Method;
import io.fedmllm.bench.ResultTable;
import io.fedmllm.data.Task;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.tensor.AtomicFiles;
import io.fedmllm.protocol.TransferDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Regenerates the paper-style results table: methods x heterogeneity settings, with seed spread. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Run methods x heterogeneity settings and print/write the results table.")
final class BenchmarkCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "quick", description = "quick, full, paper-2of10 or paper-3of10 (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--task", description = "hateful, crisis or vqa (default: the preset's).")
  String task;

  @Option(names = "--settings", split = ",", description = "Settings to run, e.g. aligned:0.5,missing:0.3,cross:3:7.")
  List<String> settings;

  @Option(names = "--methods", split = ",", description = "Methods, e.g. zero-shot,local-only,fedavg,fedadam+paper.")
  List<String> methods;

  @Option(names = "--seeds", split = ",", description = "Seeds (default: the preset's).")
  List<Long> seeds;

  @Option(names = "--rounds", description = "Rounds (default: the preset's).")
  Integer rounds;

  @Option(names = "--local-steps", description = "Local steps per round (default: the preset's).")
  Integer localSteps;

  @Option(names = "--server-scale",
      description = "Factor on the paper's eta and tau (1e-3) of FedAdam/FedYogi/FedAdagrad (default: the preset's,"
          + " client rate / 2e-5).")
  Double serverScale;

  @Option(names = "--transfer-dtype", defaultValue = "float32",
      description = "Element type the federated methods' client updates reach the aggregation in: float32 or float16"
          + " (adapter.transferDtype; default: ${DEFAULT-VALUE}).")
  String transferDtype;

  @Option(names = "--resume", description = "Keep the results already in OUT/results.csv and run only the rest.")
  boolean resume;

  @Option(names = "--workers", defaultValue = "1",
      description = "Run the settings in N processes at once, each with cores/N PyTorch threads; the results are the"
          + " same as in one process (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--out", defaultValue = "runs/benchmark", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
    TransferDtype transfer = TransferDtype.parse(transferDtype, "--transfer-dtype");
    BenchmarkPlan plan = plan();
    ModelConfig config = ModelConfig.preset(plan.model());
    System.out.printf("benchmark %s: task %s, %d settings x %d methods x %d seeds, %d clients (%d per round), "
            + "%d rounds x %d local steps%n",
        plan.preset(), plan.task(), plan.settings().size(), plan.methods().size(), plan.seeds().size(),
        plan.clients(), plan.clientsPerRound(), plan.rounds(), plan.localSteps());
    List<BenchmarkResult> done = resume ? plan.inPlanOrder(BenchmarkWorkers.recorded(out)) : List.of();
    if (!done.isEmpty()) {
      System.out.println("resuming: " + done.size() + " results already in " + out);
    }
    List<BenchmarkResult> results;
    List<String> failures = List.of();
    if (workers > 1) {
      // Pre-train or check the base once here, so that the workers only load it.
      try (BaseModel base = loadBase(config)) {
        System.out.println("base model ready: " + base.config().name());
      }
      BenchmarkWorkers.Outcome outcome =
          new BenchmarkWorkers(plan, out, System.out).run(done, workers, w -> workerCommand(plan, w));
      results = outcome.results();
      failures = outcome.failures();
      record(plan, results);
    } else {
      try (BaseModel base = loadBase(config)) {
        List<BenchmarkResult> sofar = new ArrayList<>(done);
        results = plan.inPlanOrder(new BenchmarkRunner(base, plan, transfer, System.out)
            .run(done, r -> {
              sofar.add(r);
              record(plan, sofar);
            }, cost -> System.out.printf("setting %s: %.0f s wall, peak RSS %.0f MiB%n",
                cost.setting(), cost.seconds(), cost.peakRssMb())));
      }
    }
    ResultTable table = new ResultTable(results);
    System.out.println();
    System.out.println(table.text());
    String metric = plan.task().metric().name().toLowerCase(Locale.ROOT);
    table.write(out, "FedMLLM benchmark (" + plan.preset() + ", " + plan.task() + ")", metric);
    System.out.println("wrote " + out.resolve("results.csv") + ", results.md, results.png");
    failures.forEach(f -> System.err.println("fedmllm benchmark: " + f));
    return failures.isEmpty() ? 0 : 1;
  }

  /** The preset with this command's options applied. */
  private BenchmarkPlan plan() {
    BenchmarkPlan plan = BenchmarkPlan.preset(preset);
    if (task != null) {
      plan = plan.withTask(Task.valueOf(task.toUpperCase(Locale.ROOT)));
    }
    if (settings != null) {
      plan = plan.withSettings(settings.stream().map(Scenario::parse).toList());
    }
    if (methods != null) {
      plan = plan.withMethods(methods.stream().map(Method::parse).toList());
    }
    if (seeds != null) {
      plan = plan.withSeeds(seeds);
    }
    if (rounds != null || localSteps != null || serverScale != null) {
      plan = plan.withSchedule(rounds != null ? rounds : plan.rounds(),
          localSteps != null ? localSteps : plan.localSteps(), serverScale != null ? serverScale : plan.serverScale());
    }
    return plan;
  }

  private static BaseModel loadBase(ModelConfig config) throws IOException {
    return BaseCache.standard().loadOrPretrain(config, TextTokenizer.builtIn(), BaseCache.defaultSettings(config),
        ModelOptions.PUBLIC_DATA_SEED, System.err);
  }

  /** Rewrites OUT/results.csv with every result so far (atomically: a reader sees the old or the new file). */
  private void record(BenchmarkPlan plan, List<BenchmarkResult> results) {
    Path csv = out.resolve("results.csv");
    try {
      Files.createDirectories(out);
      AtomicFiles.write(csv, new ResultTable(plan.inPlanOrder(results)).csv().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record result in " + csv, e);
    }
  }

  /**
   * The command line of one worker: this JVM's launcher and options with PyTorch limited to this machine's cores
   * divided among the workers, then {@code benchmark} with the plan spelled out option by option, the worker's
   * settings, {@code --resume} and its own folder.
   */
  private List<String> workerCommand(BenchmarkPlan plan, BenchmarkWorkers.Worker worker) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-Dai.djl.pytorch.num_") && !a.startsWith("-agentlib:jdwp"))
        .forEach(command::add);
    command.addAll(List.of(
        "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), Fedmllm.class.getName(), "benchmark",
        "--preset", plan.preset(),
        "--task", plan.task().name().toLowerCase(Locale.ROOT),
        "--settings", String.join(",", worker.settings().stream().map(Scenario::spec).toList()),
        "--methods", String.join(",", plan.methods().stream().map(Method::name).toList()),
        "--seeds", String.join(",", plan.seeds().stream().map(String::valueOf).toList()),
        "--rounds", String.valueOf(plan.rounds()),
        "--local-steps", String.valueOf(plan.localSteps()),
        "--server-scale", String.valueOf(plan.serverScale()),
        "--transfer-dtype", transferDtype,
        "--workers", "1", "--resume",
        "--out", worker.dir().toString()));
    return command;
  }
}
