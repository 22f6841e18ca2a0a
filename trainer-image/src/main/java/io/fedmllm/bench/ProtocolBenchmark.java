package io.fedmllm.bench;

import io.fedmllm.api.progress.RoundManifest;
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
import io.fedmllm.protocol.RoundPlan;
import io.fedmllm.protocol.TrainedUpdate;
import io.fedmllm.protocol.Trainer;
import io.fedmllm.protocol.UpdateCodec;
import io.fedmllm.protocol.UpdateManifest;
import io.fedmllm.storage.Checksums;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Measures what the round protocol costs on its own: a federation of {@code clients} trainers with no-op training
 * (each update is the global adapter plus a constant) and adapters of a given size, run as threads against the
 * embedded S3 endpoint (S3Proxy, loopback). Reports, from one run: the store's loopback throughput (probed before and
 * after the rounds through the protocol's own client), the bytes a round must move and the time they take at that
 * throughput (the data-movement limit), the time per round (commit to commit) and its ratio to the limit, the
 * requests a round makes, and the aggregation throughput from storage against the same objects on local disk
 * (same code, interleaved passes).
 */
public final class ProtocolBenchmark {

  /**
   * Figures of one benchmark run.
   *
   * @param periodSeconds per round from the second on: the time from the previous round's commit to its own
   *     ({@code round.json} written), what a round costs in a running federation
   * @param planToCommitSeconds per round: from its plan to its commit (round.json's roundSeconds)
   * @param putMBps the store's PUT throughput on loopback, measured in the same run (best of the probes)
   * @param getMBps the store's GET throughput, likewise
   * @param roundReadBytes the data bytes a round must read: the global adapter to every client, every update to
   *     the aggregator
   * @param roundWriteBytes the data bytes a round must write: every update, the new global adapter and state
   */
  public record Result(int clients, long adapterBytes, int rounds, double[] periodSeconds,
      double[] planToCommitSeconds, double putMBps, double getMBps, long roundReadBytes, long roundWriteBytes,
      double requestsPerRound, double countedReadMBPerRound, double countedWriteMBPerRound,
      double storageFoldMBps, double diskFoldMBps) {

    /** The time the bytes a round must move take at the store's measured throughput. */
    public double dataMovementSeconds() {
      return roundReadBytes / 1e6 / getMBps + roundWriteBytes / 1e6 / putMBps;
    }

    public double medianPeriodSeconds() {
      return median(periodSeconds);
    }

    /** Per-round median over the data-movement time (issue #17: <= 1.5). */
    public double limitRatio() {
      return medianPeriodSeconds() / dataMovementSeconds();
    }

    /** Aggregation (fetch, verify, decode, fold) from storage over the same from local disk (issue #17: >= 0.7). */
    public double storageToDiskRatio() {
      return storageFoldMBps / diskFoldMBps;
    }
  }

  /** Repetitions of the interleaved storage / disk aggregation measurement. */
  static final int FOLD_REPEATS = 3;

  private final int clients;
  private final long adapterBytes;
  private final int rounds;
  private final Duration poll;
  private final String strategy;

  public ProtocolBenchmark(int clients, long adapterBytes, int rounds, Duration poll, String strategy) {
    if (clients < 1 || rounds < 2 || adapterBytes < 4096) {
      throw new IllegalArgumentException("protocol benchmark: need clients >= 1, rounds >= 2 (a round is timed "
          + "from the previous commit), adapter >= 4 KiB");
    }
    this.clients = clients;
    this.adapterBytes = adapterBytes;
    this.rounds = rounds;
    this.poll = poll;
    this.strategy = strategy;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
    CountingObjectStore.Counters counters = new CountingObjectStore.Counters();
    ExecutorService threads = Executors.newFixedThreadPool(clients + 1);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (EmbeddedObjectStore server = EmbeddedObjectStore.start(workDir.resolve("s3"), "bench", 0)) {
      ObjectStore probeClient = server.connect(RetryPolicy.standard());
      stores.add(probeClient);
      long encodedAdapter = UpdateCodec.encode(initial).length;
      double[] throughput = probe(probeClient, encodedAdapter, log, "before the rounds");
      Supplier<ManifestStore> connect = () -> {
        ObjectStore s = server.connect(RetryPolicy.standard());
        synchronized (stores) {
          stores.add(s);
        }
        return new ManifestStore(new CountingObjectStore(s, counters));
      };
      long[] before = counters.snapshot();
      Future<FederationOutcome> aggregator = threads.submit(() -> new Aggregator(connect.get(), layout, config,
          AggregatorBase.placeholder(initial), timing, new FederationMetrics(), quiet).run());
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
        threads.submit(() -> new Trainer(connect.get(), layout, id, 0, (c, b, s) -> noOp, timing,
            new FederationMetrics(), quiet).run());
      }
      FederationOutcome outcome = aggregator.get(30, TimeUnit.MINUTES);
      if (!outcome.completed()) {
        throw new IllegalStateException("benchmark federation failed: " + outcome.message());
      }
      long[] after = counters.snapshot();
      double[] again = probe(probeClient, encodedAdapter, log, "after the rounds");
      ManifestStore reader = new ManifestStore(probeClient);
      double[] planToCommit = new double[rounds];
      long[] committedAt = counters.commitNanos(layout, rounds);
      double[] period = new double[rounds - 1];
      for (int r = 0; r < rounds; r++) {
        RoundManifest m = reader.read(layout.roundManifest(r), RoundManifest.class).orElseThrow();
        planToCommit[r] = m.roundSeconds();
        if (r > 0) {
          period[r - 1] = (committedAt[r] - committedAt[r - 1]) / 1e9;
        }
        log.printf("round %d: %.3f s plan-to-commit%s, %.3f s aggregation after the last update, slowest no-op "
            + "training %.3f s%n", r, m.roundSeconds(), r == 0 ? "" : String.format(", %.3f s since round %d's "
            + "commit", period[r - 1], r - 1), m.aggregationSeconds(), trainingSeconds[r]);
      }
      RoundPlan last = reader.read(layout.plan(rounds - 1), RoundPlan.class).orElseThrow();
      long stateBytes = reader.read(layout.roundManifest(rounds - 1), RoundManifest.class).orElseThrow()
          .serverState().size();
      long readBytes = 2L * clients * encodedAdapter;
      long writeBytes = (long) clients * encodedAdapter + encodedAdapter + stateBytes;
      double[] fold = foldStorageVsDisk(reader, layout, config, last, workDir.resolve("disk"), log);
      long requests = 0;
      for (int i = 0; i < 5; i++) {
        requests += after[i] - before[i];
      }
      requests -= after[3] - before[3]; // misses are gets already counted
      return new Result(clients, encodedAdapter, rounds, period, planToCommit, Math.max(throughput[0], again[0]),
          Math.max(throughput[1], again[1]), readBytes, writeBytes, (double) requests / rounds,
          (after[6] - before[6]) / 1e6 / rounds, (after[5] - before[5]) / 1e6 / rounds, fold[0], fold[1]);
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
      stores.forEach(ObjectStore::close);
    }
  }

  /**
   * The store's loopback throughput through the client the protocol uses: {@code clients} objects of the adapter's
   * size written (PUT carrying the SHA-256 the server verifies, precomputed as the protocol's writers do) and read
   * back (streamed into one array, not hashed: the bytes only), once one at a time and once all in parallel; the
   * faster of the two per direction. Returns {PUT MB/s, GET MB/s}.
   */
  private double[] probe(ObjectStore store, long size, PrintStream log, String when) throws Exception {
    byte[][] data = new byte[clients][];
    byte[][] sha = new byte[clients][];
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < clients; i++) {
      data[i] = new byte[(int) size];
      for (int j = 0; j < data[i].length; j++) {
        data[i][j] = (byte) random.nextInt(256);
      }
      sha[i] = Checksums.sha256(data[i]);
    }
    double bestPut = 0;
    double bestGet = 0;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      for (boolean parallel : new boolean[] {false, true}) {
        String prefix = "benchmark/probe/" + when.replace(' ', '-') + (parallel ? "/parallel/" : "/sequential/");
        long t0 = System.nanoTime();
        runAll(pool, parallel, i -> store.put(prefix + i, data[i], sha[i]));
        double put = clients * size / 1e6 / ((System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        runAll(pool, parallel, i -> {
          byte[] back = store.get(prefix + i, size, noDigest()).orElseThrow(() ->
              new IllegalStateException("probe object " + prefix + i + " vanished"));
          if (back.length != size) {
            throw new IllegalStateException("probe object " + prefix + i + ": " + back.length + " bytes, wrote "
                + size);
          }
        });
        double get = clients * size / 1e6 / ((System.nanoTime() - t1) / 1e9);
        log.printf("store probe %s, %s: PUT %.0f MB/s, GET %.0f MB/s (%d x %.1f MB)%n", when,
            parallel ? clients + " in parallel" : "one at a time", put, get, clients, size / 1e6);
        bestPut = Math.max(bestPut, put);
        bestGet = Math.max(bestGet, get);
        store.deletePrefix(prefix);
      }
    } finally {
      pool.shutdownNow();
    }
    return new double[] {bestPut, bestGet};
  }

  private void runAll(ExecutorService pool, boolean parallel, IntConsumer task) throws Exception {
    if (!parallel) {
      for (int i = 0; i < clients; i++) {
        task.accept(i);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int n = i;
      futures.add(pool.submit(() -> task.accept(n)));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
  }

  /** A digest that ignores its input: the probe reads bytes the way the protocol does, without hashing them. */
  private static MessageDigest noDigest() {
    return new MessageDigest("none") {
      @Override
      protected void engineUpdate(byte input) {}

      @Override
      protected void engineUpdate(byte[] input, int offset, int len) {}

      @Override
      protected byte[] engineDigest() {
        return new byte[0];
      }

      @Override
      protected void engineReset() {}
    };
  }

  /**
   * Aggregation throughput (fetch, size and SHA-256 check, decode, fold: the aggregator's own code,
   * {@link Aggregator#refold}) over the last round's updates, from the store and from the same objects copied to a
   * local directory, alternately {@link #FOLD_REPEATS} times. Returns the medians {storage MB/s, disk MB/s}.
   */
  private double[] foldStorageVsDisk(ManifestStore storage, FederationLayout layout, FederationConfig config,
      RoundPlan plan, Path dir, PrintStream log) throws IOException {
    LocalDirObjectStore disk = new LocalDirObjectStore(dir.toAbsolutePath());
    long bytes = 0;
    for (String id : plan.clients()) {
      String key = layout.updateManifest(plan.round(), id);
      UpdateManifest m = storage.read(key, UpdateManifest.class).orElseThrow();
      disk.put(key, storage.objects().get(key).orElseThrow());
      disk.put(m.weights().key(), storage.readData(m.weights()));
      bytes += m.weights().size();
    }
    TensorMap global = UpdateCodec.decode(storage.readData(plan.global()), plan.global().key());
    ServerState state = ServerState.decode(storage.readData(plan.serverState()), plan.serverState().key());
    ManifestStore local = new ManifestStore(disk);
    double[] fromStorage = new double[FOLD_REPEATS];
    double[] fromDisk = new double[FOLD_REPEATS];
    for (int i = 0; i < FOLD_REPEATS; i++) {
      fromStorage[i] = timedFold(storage, layout, config, plan, global, state, bytes);
      fromDisk[i] = timedFold(local, layout, config, plan, global, state, bytes);
      log.printf("aggregation of round %d's %d updates (%.0f MB), pass %d: storage %.0f MB/s, local disk %.0f MB/s%n",
          plan.round(), plan.clients().size(), bytes / 1e6, i + 1, fromStorage[i], fromDisk[i]);
    }
    return new double[] {median(fromStorage), median(fromDisk)};
  }

  private static double timedFold(ManifestStore from, FederationLayout layout, FederationConfig config, RoundPlan plan,
      TensorMap global, ServerState state, long bytes) {
    long t0 = System.nanoTime();
    int folded = Aggregator.refold(from, layout, config, plan, global, state);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (folded != plan.clients().size()) {
      throw new IllegalStateException("re-aggregation from " + from.objects().describe() + " folded " + folded
          + " of " + plan.clients().size() + " updates");
    }
    return bytes / 1e6 / seconds;
  }
}
