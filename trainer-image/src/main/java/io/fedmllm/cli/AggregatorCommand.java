package io.fedmllm.cli;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MetricsServer;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.protocol.Aggregator;
import io.fedmllm.protocol.EngineRoundEvaluator;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.FederationSpec;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.SyntheticData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The aggregator process: runs (or resumes) a federation's rounds over object storage. */
@Command(
    name = "aggregator",
    mixinStandardHelpOptions = true,
    description = "Run or resume a federation's aggregator against S3-compatible storage.")
final class AggregatorCommand implements Callable<Integer> {

  @Mixin StorageOptions storage;

  @Option(names = "--spec", required = true, description = "Federation spec JSON (configuration and data).")
  Path spec;

  @Option(names = "--metrics-port", description = "Serve Prometheus metrics on this port.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    FederationSpec s = FederationSpec.read(spec);
    FederationConfig config = s.federation();
    FederationMetrics metrics = new FederationMetrics();
    try (MetricsServer server = metricsPort == null ? null : MetricsServer.start(metrics, metricsPort);
        BaseModel base = loadBase(config.model())) {
      try (ManifestStore manifests = storage.connect(metrics)) {
        FederationOutcome outcome = new Aggregator(manifests, storage.layout(), config,
            LoraWeights.initialTensors(base.config(), config.lora(), config.seed()),
            new EngineRoundEvaluator(base, config, s.data().evalSamples(config)),
            storage.timing(Duration.ofHours(1)), metrics, System.out).run();
        return outcome.completed() ? 0 : 1;
      }
    }
  }

  static BaseModel loadBase(String model) throws java.io.IOException {
    SyntheticData.modelConfig(model);
    ModelOptions options = new ModelOptions();
    options.model = model;
    return options.loadBase();
  }
}
