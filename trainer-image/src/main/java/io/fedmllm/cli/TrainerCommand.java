package io.fedmllm.cli;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MetricsServer;
import io.fedmllm.model.BaseModel;
import io.fedmllm.protocol.EngineLocalTraining;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.FederationSpec;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A trainer process for one client: trains in the rounds it is sampled for until the federation ends. */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description = "Take part in a federation as one client, over S3-compatible storage.")
final class TrainerCommand implements Callable<Integer> {

  @Mixin StorageOptions storage;

  @Option(names = "--spec", required = true, description = "Federation spec JSON (for this client's data).")
  Path spec;

  @Option(names = "--client", required = true, description = "This trainer's client id.")
  String client;

  @Option(names = "--max-idle-seconds", defaultValue = "3600",
      description = "Give up when no new plan appears for this long (default: ${DEFAULT-VALUE}).")
  long maxIdleSeconds;

  @Option(names = "--metrics-port", description = "Serve Prometheus metrics on this port.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    FederationSpec s = FederationSpec.read(spec);
    FederationMetrics metrics = new FederationMetrics();
    BaseModel[] base = new BaseModel[1];
    try (MetricsServer server = metricsPort == null ? null : MetricsServer.start(metrics, metricsPort)) {
      try (ManifestStore manifests = storage.connect(metrics)) {
        FederationOutcome outcome = new Trainer(manifests, storage.layout(), client, config -> {
          try {
            base[0] = AggregatorCommand.loadBase(config.model());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return new EngineLocalTraining(base[0], config, client, s.data().clientSamples(config, client));
        }, storage.timing(Duration.ofSeconds(maxIdleSeconds)), metrics, System.out).run();
        return outcome.completed() ? 0 : 1;
      }
    } finally {
      if (base[0] != null) {
        base[0].close();
      }
    }
  }
}
