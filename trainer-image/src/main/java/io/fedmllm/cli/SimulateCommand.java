package io.fedmllm.cli;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.FederatedSimulation;
import io.fedmllm.train.TrainingConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a federation in one process on generated data, without object storage: the engine on its own. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulate a federation in-process on synthetic data and print the metric per round.")
final class SimulateCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(names = "--task", defaultValue = "hateful", description = "hateful, crisis or vqa (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--clients", defaultValue = "4", description = "Number of clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--scenario", defaultValue = "aligned:0.5",
      description = "aligned:ALPHA, missing:BETA, cross:I:T or hybrid:P (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--rounds", defaultValue = "4", description = "Rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--clients-per-round", description = "Clients sampled per round (default: all).")
  Integer clientsPerRound;

  @Option(names = "--local-steps", defaultValue = "40", description = "Optimiser steps per client per round.")
  int localSteps;

  @Option(names = "--batch-size", defaultValue = "8") int batchSize;

  @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--strategy", defaultValue = "fedavg",
      description = "fedavg, fedavgm, fedadam, fedyogi, fedadagrad or scaffold (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--client-strategy", defaultValue = "none",
      description = "none, fedprox or paper (middle-layer regulariser + modality-agnostic prompt).")
  String clientStrategy;

  @Option(names = "--samples", defaultValue = "600", description = "Labelled pool size (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--test-samples", defaultValue = "300") int testSamples;

  @Option(names = "--seed", defaultValue = "42") long seed;

  @Option(names = "--output", description = "Write the final global adapter here (PEFT layout).")
  Path output;

  @Override
  public Integer call() throws Exception {
    Task t = Task.valueOf(task.toUpperCase(Locale.ROOT));
    Scenario s = Scenario.parse(scenario);
    LoraConfig lora = LoraConfig.paperDefault();
    try (BaseModel base = model.loadBase()) {
      SyntheticGenerator generator = new SyntheticGenerator(seed, base.config().imageSize());
      List<List<Sample>> parts = new ScenarioPartitioner(clients, seed).partition(generator.pool(t, samples), s);
      int layers = base.config().layers();
      ClientStrategy cs =
          switch (clientStrategy) {
            case "none" -> ClientStrategy.none();
            case "fedprox" -> ClientStrategy.fedProx(ClientStrategy.DEFAULT_MU);
            case "paper" -> ClientStrategy.paperStrategiesFor(layers);
            default -> throw new IllegalArgumentException(
                "--client-strategy: unknown '" + clientStrategy + "' (known: none, fedprox, paper)");
          };
      ServerStrategyConfig server;
      try {
        server = ServerStrategyConfig.defaults(strategy);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--strategy: " + e.getMessage(), e);
      }
      FederatedSimulation.Settings settings =
          new FederatedSimulation.Settings(
              rounds,
              clientsPerRound == null ? clients : clientsPerRound,
              new CosineSchedule(learningRate, rounds, 0.0, 0.1),
              TrainingConfig.paperDefault(batchSize, 1).withLocalSteps(localSteps),
              cs,
              seed);
      System.out.printf("%-6s %-8s %-10s %-9s%n", "round", "loss", "metric", "accuracy");
      FederatedSimulation.Outcome outcome =
          new FederatedSimulation(base, lora, server, settings)
              .run(t, parts, generator.test(t, testSamples),
                  r -> System.out.printf("%-6d %-8.4f %-10.4f %-9.4f%n",
                      r.round() + 1, r.meanLoss(), r.evaluation().metric(), r.evaluation().accuracy()));
      System.out.printf("zero-shot %s %.4f -> final %.4f%n",
          outcome.zeroShot().metricName(), outcome.zeroShot().metric(), outcome.last().metric());
      if (output != null) {
        AdapterFiles.write(output, lora.adapterConfig("fedmllm/" + base.config().name(), true),
            outcome.finalAdapter());
        System.out.println("final adapter written to " + output);
      }
    }
    return 0;
  }
}
