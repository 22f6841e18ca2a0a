package io.fedmllm.cli;

import ai.djl.Device;
import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.manifest.Resource;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.data.Sample;
import io.fedmllm.engine.EngineBase;
import io.fedmllm.engine.EngineLocalTraining;
import io.fedmllm.engine.FederationSpec;
import io.fedmllm.engine.LibtorchOrigin;
import io.fedmllm.manifest.ClientDataResolver;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MetricsServer;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.Trainer;
import io.fedmllm.protocol.TrainerFailedException;
import io.fedmllm.storage.S3DatasetFetcher;
import io.fedmllm.train.DeviceChoice;
import io.fedmllm.train.DevicePreference;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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

  @Mixin CheckpointOptions checkpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  AggregatorCommand.FederationSource source;

  @Option(names = "--data-mount", defaultValue = "/data",
      description = "Where this client's data volume is mounted, with --manifest (default: ${DEFAULT-VALUE}).")
  Path dataMount;

  @Option(names = "--client", required = true, description = "This trainer's client id.")
  String client;

  @Option(names = "--max-idle-seconds", defaultValue = "3600",
      description = "Give up when no new plan appears for this long (default: ${DEFAULT-VALUE}).")
  long maxIdleSeconds;

  @Option(names = "--metrics-port", description = "Serve Prometheus metrics on this port.")
  Integer metricsPort;

  @Option(names = "--rounds", description = "The rounds this trainer takes part in (default: the manifest's or spec's "
      + "rounds). When the federation completed fewer, the trainer waits for its continuation.")
  Integer rounds;

  /** This client's samples, once the federation's configuration is known, and the rounds it was started for. */
  private interface ClientData {
    List<Sample> samples(FederationConfig config);

    int rounds();

    /** The device this process trains on ({@code spec.training.device} and the GPUs it sees). */
    Device device();

    /** This pod's copy of spec.model.checkpoint, when the federation's base is one. */
    default Optional<Path> checkpointDir() {
      return Optional.empty();
    }
  }

  /**
   * Reads and checks this client's data before joining, so a bad data source fails before any round. With a spec the
   * samples depend on the federation's configuration and are read (and checked) once it is known.
   *
   * @throws TrainerFailedException naming the field and the file when the data cannot be read or holds no sample
   */
  private ClientData clientData() throws Exception {
    if (source.spec != null) {
      FederationSpec s = FederationSpec.read(source.spec);
      Device device = chooseDevice(DevicePreference.AUTO, source.spec.toString());
      return new ClientData() {
        public List<Sample> samples(FederationConfig config) {
          List<Sample> samples;
          try {
            samples = s.data().clientSamples(config, client);
          } catch (RuntimeException e) {
            throw new TrainerFailedException(source.spec + ": client " + client + ": " + e.getMessage());
          }
          if (samples.isEmpty()) {
            throw new TrainerFailedException(source.spec + ": client " + client + " has no samples");
          }
          return samples;
        }

        public int rounds() {
          return s.federation().rounds();
        }

        public Device device() {
          return device;
        }
      };
    }
    Manifest manifest = awaitOwnClient();
    Resource<FederationClientSpec> me = manifest.clients().stream().filter(c -> c.name().equals(client)).findFirst()
        .orElseThrow();
    List<Sample> samples;
    Optional<Path> checkpointDir;
    try (S3DatasetFetcher fetcher = storage.datasetFetcher()) {
      samples = ClientDataResolver.inPod(dataMount, Optional.of(fetcher::fetch)).clientSamples(me.spec());
      try {
        checkpointDir = checkpoint.directory(manifest.federation().spec().getModel(), fetcher);
      } catch (IOException e) {
        throw new TrainerFailedException(source.manifest + ": Federation " + manifest.federation().name() + ": "
            + e.getMessage());
      }
    } catch (IOException e) {
      throw new TrainerFailedException(source.manifest + ": FederationClient " + client + ": " + e.getMessage());
    }
    int manifestRounds = manifest.federation().spec().getRounds();
    Device device = chooseDevice(FederationSettings.device(manifest.federation().spec().getTraining()),
        source.manifest + ": Federation " + manifest.federation().name());
    return new ClientData() {
      public List<Sample> samples(FederationConfig config) {
        return samples;
      }

      public int rounds() {
        return manifestRounds;
      }

      public Device device() {
        return device;
      }

      public Optional<Path> checkpointDir() {
        return checkpointDir;
      }
    };
  }

  /**
   * The rendered manifest once it lists this client. The operator re-renders the mounted ConfigMap when a client is
   * created, and a trainer pod can start before the kubelet has replaced the file, so it is re-read every second,
   * bounded by the idle limit.
   */
  private Manifest awaitOwnClient() throws Exception {
    ManifestReader reader = ManifestReader.ofRunningFederation();
    long deadline = System.currentTimeMillis() + maxIdleSeconds * 1000;
    boolean said = false;
    while (true) {
      Manifest manifest = reader.read(source.manifest);
      if (manifest.clientNames().contains(client)) {
        return manifest;
      }
      if (System.currentTimeMillis() >= deadline) {
        throw new IllegalArgumentException(source.manifest + ": no FederationClient named '" + client + "' after "
            + maxIdleSeconds + " s (clients: " + manifest.clientNames() + ")");
      }
      if (!said) {
        System.out.println(client + ": " + source.manifest + " does not list this client yet; waiting for it");
        said = true;
      }
      Thread.sleep(1000);
    }
  }

  /**
   * The device for {@code preference}, logged; a preference this process cannot meet fails the pre-flight.
   *
   * @param origin what the preference comes from, for the error
   */
  private Device chooseDevice(DevicePreference preference, String origin) {
    try {
      System.out.println(client + ": " + LibtorchOrigin.ofThisProcess().requireRequested().describe());
      DeviceChoice choice = DeviceChoice.forThisProcess(preference);
      System.out.println(client + ": " + choice.describe());
      return choice.device();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new TrainerFailedException(origin + ": " + e.getMessage());
    }
  }

  /** The pre-flight: a client that cannot train records why for the aggregator, then exits. */
  private ClientData preflight(ManifestStore manifests) throws Exception {
    try {
      return clientData();
    } catch (TrainerFailedException e) {
      Trainer.recordFailure(manifests, storage.layout(), client, e.getMessage(), System.out);
      throw e;
    }
  }

  /**
   * The base is the one the aggregator published: loaded from this pod's cache copy (keyed by SHA-256) when a
   * previous start kept one, otherwise downloaded and verified. A trainer never pre-trains.
   */
  @Override
  public Integer call() throws Exception {
    FederationMetrics metrics = new FederationMetrics();
    FoundationModel[] base = new FoundationModel[1];
    ClientData[] data = new ClientData[1];
    Trainer.TrainingFactory training = (config, published, shared) -> {
      List<Sample> samples = data[0].samples(config);
      base[0] = EngineBase.load(shared, published, Optional.of(BaseCache.standard().publishedCopies()),
          data[0].checkpointDir(), client, System.out, data[0].device(), config.baseDtype());
      System.out.printf(Locale.ROOT, "%s: ready to train %.1f s after the process started%n", client,
          ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
      return new EngineLocalTraining(base[0], config, client, samples);
    };
    try (MetricsServer server = metricsPort == null ? null : MetricsServer.start(metrics, metricsPort);
        ManifestStore manifests = storage.connect(metrics)) {
      data[0] = preflight(manifests);
      FederationOutcome outcome = new Trainer(manifests, storage.layout(), client,
          rounds != null ? rounds : data[0].rounds(), training, storage.timing(Duration.ofSeconds(maxIdleSeconds)),
          metrics, System.out).run();
      return outcome.completed() ? 0 : 1;
    } finally {
      if (base[0] != null) {
        base[0].close();
      }
    }
  }
}
