package io.fedmllm.cli;

import io.fedmllm.bench.AggregationBenchmark;
import io.fedmllm.bench.BenchmarkRunner;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ImagePreprocessor;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.train.LocalTrainer;
import io.fedmllm.train.TrainingConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the engine's performance figures: median LoRA training step time and peak RSS per model preset (each preset
 * in its own JVM so RSS is its own), then adapter encode/decode and aggregation time for K adapters.
 *
 * <p>Step time does not depend on the weights' values, so the presets run on freshly initialised bases (no
 * pre-training needed to benchmark). The client's images are decoded into its cache before timing (as from its
 * second epoch on); tokenising and copying each batch to the device stay in the step.
 */
@Command(
    name = "engine-benchmark",
    mixinStandardHelpOptions = true,
    description = "Print training step time, peak RSS, adapter codec and aggregation figures.")
final class EngineBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--presets", split = ",", defaultValue = "tiny,small", description = "Presets to time.")
  List<String> presets;

  @Option(names = "--steps", defaultValue = "30", description = "Measured steps per preset (after 5 warm-up).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "8") int batchSize;

  @Option(names = "--single", hidden = true, description = "Internal: time one preset in this JVM.")
  String single;

  @Option(names = "--skip-aggregation", description = "Only time the training step.")
  boolean skipAggregation;

  @Override
  public Integer call() throws Exception {
    if (single != null) {
      return timeSteps(single);
    }
    System.out.printf("%-8s %12s %10s %14s %12s %6s %11s %13s %11s%n", "preset", "parameters", "batch",
        "median_step_ms", "peak_rss_mb", "vocab", "text_tokens", "scored_tokens", "min_step_ms");
    for (String preset : presets) {
      int code = runChild(preset);
      if (code != 0) {
        System.err.println("fedmllm: benchmark of preset " + preset + " failed with exit code " + code);
        return code;
      }
    }
    if (!skipAggregation) {
      System.out.println();
      AggregationBenchmark.main(new String[] {"--repeats", "5", "--adapter-mb", "8", "--clients", "2,10,50"});
    }
    return 0;
  }

  private int runChild(String preset) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx4g", "-Djava.awt.headless=true", "-cp",
        System.getProperty("java.class.path"), Fedmllm.class.getName(), "engine-benchmark",
        "--single", preset, "--steps", String.valueOf(steps), "--batch-size", String.valueOf(batchSize)));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println(line);
      }
    }
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("benchmark of preset " + preset + " did not finish within 30 minutes");
    }
    return p.exitValue();
  }

  private int timeSteps(String preset) throws IOException {
    ModelConfig config = ModelConfig.preset(preset);
    LoraConfig lora = LoraConfig.paperDefault();
    List<Double> times = Collections.synchronizedList(new ArrayList<>());
    try (BaseModel base = BaseModel.initialise(config, TextTokenizer.builtIn(), 1)) {
      List<Sample> data = new SyntheticGenerator(3, config.imageSize()).pool(Task.HATEFUL, 256);
      LocalTrainer trainer =
          new LocalTrainer(base, lora, TrainingConfig.paperDefault(batchSize, 1).withLocalSteps(5 + steps), times::add);
      ImagePreprocessor images = base.newImagePreprocessor();
      data.forEach(images::pixels); // decoded once, as from a client's second epoch on: the step is the model's work
      trainer.train(LoraWeights.initialTensors(config, lora, 1), data, images, 1e-4, 1, List.of());
      List<Double> measured = new ArrayList<>(times.subList(5, times.size()));
      Collections.sort(measured);
      double median = measured.get(measured.size() / 2) * 1000;
      BatchShape shape = BatchShape.of(base, data, batchSize);
      System.out.printf("%-8s %12d %10d %14.1f %12.0f %6d %11d %13d %11.1f%n", preset, base.lm().parameterCount(),
          batchSize, median, BenchmarkRunner.peakRssMb(), base.lm().vocabSize(), shape.textTokens(),
          shape.scoredTokens(), measured.get(0) * 1000);
    }
    return 0;
  }
}
