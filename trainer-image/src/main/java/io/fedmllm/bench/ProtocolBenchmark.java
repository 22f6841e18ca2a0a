package io.fedmllm.bench;

import io.fedmllm.data.Task;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.protocol.Aggregator;
import io.fedmllm.protocol.AggregatorBase;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.LocalTraining;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolTiming;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.protocol.RoundPlan;
import io.fedmllm.protocol.TrainedUpdate;
import io.fedmllm.protocol.Trainer;
import io.fedmllm.protocol.UpdateCodec;
import io.fedmllm.protocol.UpdateManifest;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Measures what the round protocol costs on its own: a federation of {@code clients} trainers with no-op training
 * (each update is the global adapter plus a constant) and adapters of a given size, run as threads against the
 * embedded S3 endpoint. Reports the time per round (plan to commit, i.e. orchestration overhead since training takes
 * no time) and aggregation throughput from object storage against the same updates read from local disk.
 */
public final class ProtocolBenchmark {

  /** Figures of one benchmark run. */
  public record Result(int clients, long adapterBytes, int rounds, double meanRoundSeconds,
      double meanTrainingSeconds, double meanAggregationSeconds, double storageAggregationMBps,
      double diskAggregationMBps, double medianStorageAggregationMBps) {

    public double orchestrationOverheadSeconds() {
      return meanRoundSeconds - meanTrainingSeconds;
    }

    /** Aggregation throughput from storage over that from local disk, the median round's (issue #17: >= 0.7). */
    public double storageToDiskRatio() {
      return medianStorageAggregationMBps / diskAggregationMBps;
    }
  }

  private final int clients;
  private final long adapterBytes;
  private final int rounds;
  private final Duration poll;
  private final String strategy;

  public ProtocolBenchmark(int clients, long adapterBytes, int rounds, Duration poll, String strategy) {
    if (clients < 1 || rounds < 1 || adapterBytes < 4096) {
      throw new IllegalArgumentException("protocol benchmark: need clients >= 1, rounds >= 1, adapter >= 4 KiB");
    }
    this.clients = clients;
    this.adapterBytes = adapterBytes;
    this.rounds = rounds;
    this.poll = poll;
    this.strategy = strategy;
  }

  /** An adapter of about {@code bytes} float32 bytes in 16 equally sized tensors, seeded values. */
  static TensorMap adapter(long bytes) {
    int perTensor = (int) Math.max(1, bytes / Float.BYTES / 16);
    SplittableRandom random = new SplittableRandom(7);
    TensorMap.Builder b = TensorMap.builder();
    for (int t = 0; t < 16; t++) {
      float[] data = new float[perTensor];
      for (int i = 0; i < perTensor; i++) {
        data[i] = (float) (random.nextDouble() - 0.5) * 0.02f;
      }
      b.put(String.format("layer.%02d.lora", t), new Tensor(new long[] {perTensor}, data));
    }
    return b.build();
  }

  public Result run(Path workDir, PrintStream log) throws Exception {
    List<String> ids = IntStream.range(0, clients).mapToObj(i -> String.format("client-%03d", i)).toList();
    FederationConfig config = new FederationConfig("tiny", Task.HATEFUL, ids, rounds, clients, null, clients, 600_000, 1,
        new CosineSchedule(1e-3, rounds, 0, 1), TrainingConfig.paperDefault(1, 1).withLocalSteps(1),
        LoraConfig.paperDefault(), ClientStrategy.none(), ServerStrategyConfig.defaults(strategy));
    TensorMap initial = adapter(adapterBytes);
    FederationLayout layout = new FederationLayout("benchmark/protocol");
    ProtocolTiming timing = new ProtocolTiming(poll, Duration.ofMinutes(10));
    double[] trainingSeconds = new double[rounds];
    List<ObjectStore> stores = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(clients + 1);
    try (EmbeddedObjectStore server = EmbeddedObjectStore.start(workDir.resolve("s3"), "bench", 0)) {
      java.util.function.Supplier<ManifestStore> connect = () -> {
        ObjectStore s = server.connect(RetryPolicy.standard());
        synchronized (stores) {
          stores.add(s);
        }
        return new ManifestStore(s);
      };
      Future<FederationOutcome> aggregator = threads.submit(() -> new Aggregator(connect.get(), layout, config,
          AggregatorBase.placeholder(initial), timing, new FederationMetrics(), new PrintStream(java.io.OutputStream.nullOutputStream())).run());
      for (String id : ids) {
        float shift = (config.clientIndex(id) + 1) * 1e-4f;
        LocalTraining noOp = (plan, global, state) -> {
          long started = System.nanoTime();
          TensorMap.Builder b = TensorMap.builder();
          global.forEach(e -> {
            float[] d = e.getValue().data().clone();
            for (int i = 0; i < d.length; i++) {
              d[i] += shift;
            }
            b.put(e.getKey(), new Tensor(e.getValue().shape(), d));
          });
          double s = (System.nanoTime() - started) / 1e9;
          synchronized (trainingSeconds) {
            trainingSeconds[plan.round()] = Math.max(trainingSeconds[plan.round()], s);
          }
          return new TrainedUpdate(b.build(), TensorMap.empty(), 10, 1, 0, 0);
        };
        threads.submit(() -> new Trainer(connect.get(), layout, id, 0, (c, b, s) -> noOp, timing, new FederationMetrics(),
            new PrintStream(java.io.OutputStream.nullOutputStream())).run());
      }
      FederationOutcome outcome = aggregator.get(30, TimeUnit.MINUTES);
      if (!outcome.completed()) {
        throw new IllegalStateException("benchmark federation failed: " + outcome.message());
      }
      ManifestStore reader = connect.get();
      double roundSum = 0;
      double aggregationSum = 0;
      double[] aggregationSeconds = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        RoundManifest m = reader.read(layout.roundManifest(r), RoundManifest.class).orElseThrow();
        log.printf("round %d: %.3f s plan-to-commit, %.3f s aggregation, slowest no-op training %.3f s%n", r,
            m.roundSeconds(), m.aggregationSeconds(), trainingSeconds[r]);
        roundSum += m.roundSeconds();
        aggregationSum += m.aggregationSeconds();
        aggregationSeconds[r] = m.aggregationSeconds();
      }
      java.util.Arrays.sort(aggregationSeconds);
      double median = rounds % 2 == 1 ? aggregationSeconds[rounds / 2]
          : (aggregationSeconds[rounds / 2 - 1] + aggregationSeconds[rounds / 2]) / 2;
      double trainingSum = 0;
      for (double t : trainingSeconds) {
        trainingSum += t;
      }
      double storageMBps = clients * (double) initial.byteSize() / 1e6 / (aggregationSum / rounds);
      double diskMBps = diskAggregation(reader, layout, config, workDir.resolve("disk"));
      return new Result(clients, initial.byteSize(), rounds, roundSum / rounds, trainingSum / rounds,
          aggregationSum / rounds, storageMBps, diskMBps, clients * (double) initial.byteSize() / 1e6 / median);
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
      stores.forEach(ObjectStore::close);
    }
  }

  /** Aggregates round 0's updates again, read from local files instead of storage; returns MB/s. */
  private double diskAggregation(ManifestStore reader, FederationLayout layout, FederationConfig config, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    RoundPlan plan = reader.read(layout.plan(0), RoundPlan.class).orElseThrow();
    TensorMap global = UpdateCodec.decode(reader.readData(plan.global()), "global");
    List<Path> files = new ArrayList<>();
    for (String id : plan.clients()) {
      UpdateManifest m = reader.read(layout.updateManifest(0, id), UpdateManifest.class).orElseThrow();
      Path file = dir.resolve(id + ".safetensors");
      Files.write(file, reader.readData(m.weights()));
      files.add(file);
    }
    ServerStrategy strategy = config.createServerStrategy();
    long started = System.nanoTime();
    Aggregation aggregation = strategy.begin(global, strategy.initialState(global));
    long bytes = 0;
    for (int i = 0; i < files.size(); i++) {
      byte[] data = Files.readAllBytes(files.get(i));
      bytes += data.length;
      aggregation.add(ClientUpdate.of(plan.clients().get(i), UpdateCodec.decode(data, files.get(i).toString()), 10));
    }
    aggregation.finish();
    return bytes / 1e6 / ((System.nanoTime() - started) / 1e9);
  }
}
