package io.fedmllm.cli;

import ai.djl.Device;
import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.data.Sample;
import io.fedmllm.engine.EngineAggregatorBase;
import io.fedmllm.engine.FederationSpec;
import io.fedmllm.engine.LibtorchOrigin;
import io.fedmllm.manifest.ClientDataResolver;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.manifest.ManifestMembership;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MetricsServer;
import io.fedmllm.model.BaseCache;
import io.fedmllm.protocol.Aggregator;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.Membership;
import io.fedmllm.protocol.StartPolicy;
import io.fedmllm.storage.S3DatasetFetcher;
import io.fedmllm.train.DeviceChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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

  @Mixin CheckpointOptions checkpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  FederationSource source;

  /** Where the federation's configuration comes from: a Federation manifest (pods) or a protocol spec JSON. */
  static final class FederationSource {
    @Option(names = "--manifest", description = "Federation + FederationClients YAML (as the operator renders it).")
    Path manifest;

    @Option(names = "--spec", description = "Protocol spec JSON (configuration and synthetic data), for tests.")
    Path spec;
  }

  @Option(names = "--data-mount", defaultValue = "/data",
      description = "Where the evaluation data volume is mounted, with --manifest (default: ${DEFAULT-VALUE}).")
  Path dataMount;

  @Option(names = "--metrics-port", description = "Serve Prometheus metrics on this port.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    if (source.manifest != null) {
      return runFromManifest();
    }
    FederationSpec s = FederationSpec.read(source.spec);
    FederationConfig config = s.federation();
    return run(config, Membership.fixed(config.clients()), StartPolicy.quorum(config), s.data().evalSamples(config),
        config.model(), Optional.empty(), Optional.empty(), Device.cpu());
  }

  /**
   * The manifest is the operator's rendering of the Federation and the FederationClients that exist: it may list none
   * yet, and it is re-read for the members before every round (clients join and leave a running federation).
   */
  private int runFromManifest() throws Exception {
    Manifest manifest = ManifestReader.ofRunningFederation().read(source.manifest);
    FederationSettings settings = FederationSettings.from(manifest.federation().spec());
    List<Sample> eval;
    Optional<Path> checkpointDir;
    try (S3DatasetFetcher fetcher = storage.datasetFetcher()) {
      eval = ClientDataResolver.inPod(dataMount, Optional.of(fetcher::fetch)).evalSamples(manifest.federation().spec());
      checkpointDir = checkpoint.directory(manifest.federation().spec().getModel(), fetcher);
    }
    int layers = BaseSources.decoderLayers(settings.model(), checkpointDir);
    FederationConfig config = settings.federationConfig(manifest.clientNames(), layers);
    System.out.println("aggregator: " + LibtorchOrigin.ofThisProcess().requireRequested().describe());
    DeviceChoice device = DeviceChoice.forAggregator(settings.device(), DeviceChoice.visibleGpus());
    System.out.println("aggregator: " + device.describe());
    return run(config, new ManifestMembership(source.manifest, manifest, System.out), settings.startPolicy(), eval,
        settings.model(), settings.baseWeights(), checkpointDir, device.device());
  }

  /**
   * The base is obtained (cache, pre-training or configured weights) only when storage holds none yet; otherwise
   * the published one is loaded, from the cache's copy when this pod kept one.
   */
  private int run(FederationConfig config, Membership membership, StartPolicy startPolicy, List<Sample> eval,
      String model, Optional<String> baseWeights, Optional<Path> checkpointDir, Device device) throws Exception {
    FederationMetrics metrics = new FederationMetrics();
    try (MetricsServer server = metricsPort == null ? null : MetricsServer.start(metrics, metricsPort);
        ManifestStore manifests = storage.connect(metrics);
        EngineAggregatorBase base = EngineAggregatorBase.obtaining(
            () -> BaseSources.obtain(model, baseWeights, checkpointDir, device, config.baseDtype()),
            BaseSources.origin(model, baseWeights, checkpointDir), config, eval,
            Optional.of(BaseCache.standard().publishedCopies()), checkpointDir, device)) {
      FederationOutcome outcome = new Aggregator(manifests, storage.layout(), config, membership, startPolicy, base,
          storage.timing(Duration.ofHours(1)), metrics, System.out).run();
      return outcome.completed() ? 0 : 1;
    }
  }
}
