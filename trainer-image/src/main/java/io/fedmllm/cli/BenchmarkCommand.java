package io.fedmllm.cli;

import io.fedmllm.bench.BenchmarkPlan;
import io.fedmllm.bench.BenchmarkResult;
import io.fedmllm.bench.BenchmarkRunner;
import io.fedmllm.bench.Method;
import io.fedmllm.bench.ResultTable;
import io.fedmllm.data.Task;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.tensor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
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
  @Option(names = "--preset", defaultValue = "quick", description = "quick or full (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--resume", description = "Keep the results already in OUT/results.csv and run only the rest.")
  boolean resume;

  @Option(names = "--out", defaultValue = "runs/benchmark", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
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
    ModelConfig config = ModelConfig.preset(plan.model());
    System.out.printf("benchmark %s: task %s, %d settings x %d methods x %d seeds, %d clients (%d per round), "
            + "%d rounds x %d local steps%n",
        plan.preset(), plan.task(), plan.settings().size(), plan.methods().size(), plan.seeds().size(),
        plan.clients(), plan.clientsPerRound(), plan.rounds(), plan.localSteps());
    try (BaseModel base = BaseCache.standard().loadOrPretrain(config, TextTokenizer.builtIn(),
        BaseCache.defaultSettings(config), ModelOptions.PUBLIC_DATA_SEED, System.err)) {
      Path csv = out.resolve("results.csv");
      List<BenchmarkResult> done = resume && Files.exists(csv) ? ResultTable.readCsv(csv) : List.of();
      if (!done.isEmpty()) {
        System.out.println("resuming: " + done.size() + " results already in " + csv);
      }
      List<BenchmarkResult> sofar = new ArrayList<>(done);
      List<BenchmarkResult> results =
          new BenchmarkRunner(base, plan, System.out)
              .run(done, r -> {
                sofar.add(r);
                try {
                  Files.createDirectories(out);
                  AtomicFiles.write(csv, new ResultTable(sofar).csv().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                  throw new UncheckedIOException("cannot record result in " + csv, e);
                }
              }, cost -> System.out.printf("setting %s: %.0f s wall, peak RSS %.0f MiB%n",
                  cost.setting(), cost.seconds(), cost.peakRssMb()));
      ResultTable table = new ResultTable(results);
      System.out.println();
      System.out.println(table.text());
      String metric = plan.task().metric().name().toLowerCase(Locale.ROOT);
      table.write(out, "FedMLLM benchmark (" + plan.preset() + ", " + plan.task() + ")", metric);
      System.out.println("wrote " + out.resolve("results.csv") + ", results.md, results.png");
    }
    return 0;
  }
}
