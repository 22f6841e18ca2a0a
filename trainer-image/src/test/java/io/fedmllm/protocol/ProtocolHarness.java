package io.fedmllm.protocol;

import io.fedmllm.data.Task;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MeteredObjectStore;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Runs an aggregator and trainers as threads of the test JVM, each with its own storage client, against an embedded
 * S3 endpoint; small fixed adapters and a deterministic stand-in for training keep protocol tests free of the model.
 */
final class ProtocolHarness implements AutoCloseable {

  static final ProtocolTiming FAST = new ProtocolTiming(Duration.ofMillis(50), Duration.ofSeconds(60));

  final EmbeddedObjectStore server;
  final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<AutoCloseable> clients = new ArrayList<>();

  ProtocolHarness(Path dir) throws Exception {
    server = EmbeddedObjectStore.start(dir, "fed", 0);
  }

  ManifestStore connect(FederationMetrics metrics) {
    return connect(metrics, s -> s);
  }

  /** A client, optionally wrapped (e.g. to corrupt what it writes). */
  ManifestStore connect(FederationMetrics metrics, UnaryOperator<ObjectStore> wrap) {
    ObjectStore store = wrap.apply(new MeteredObjectStore(
        server.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(20))), metrics));
    clients.add(store);
    return new ManifestStore(store);
  }

  static List<String> clientIds(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("client-%03d", i)).toList();
  }

  static FederationConfig config(int clients, int rounds, int minClients, long deadlineMillis) {
    return new FederationConfig("tiny", Task.HATEFUL, clientIds(clients), rounds, clients, null, minClients,
        deadlineMillis, 42, new CosineSchedule(1e-2, rounds, 0, 0.1), TrainingConfig.paperDefault(4, 1).withLocalSteps(1),
        LoraConfig.paperDefault(), ClientStrategy.none(), new ServerStrategyConfig.FedAvgConfig());
  }

  /** A small adapter-shaped tensor map. */
  static TensorMap adapter(float value) {
    return TensorMap.builder()
        .put("layer.0.lora_A", new Tensor(new long[] {2, 8}, filled(16, value)))
        .put("layer.0.lora_B", new Tensor(new long[] {8, 2}, filled(16, -value)))
        .build();
  }

  static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** Deterministic stand-in for training: every value moves by {@code (index + 1) * learningRate}. */
  static LocalTraining shift(FederationConfig config, String client) {
    float step = config.clientIndex(client) + 1;
    return (plan, global, state) -> {
      TensorMap.Builder b = TensorMap.builder();
      global.forEach(e -> {
        float[] d = e.getValue().data().clone();
        for (int i = 0; i < d.length; i++) {
          d[i] += (float) (step * plan.learningRate());
        }
        b.put(e.getKey(), new Tensor(e.getValue().shape(), d));
      });
      return new TrainedUpdate(b.build(), TensorMap.empty(), 10 + config.clientIndex(client), 1, 1.0 / step, 100);
    };
  }

  Future<FederationOutcome> aggregator(FederationLayout layout, FederationConfig config, FederationMetrics metrics) {
    ManifestStore store = connect(metrics);
    return threads.submit(() -> new Aggregator(store, layout, config, AggregatorBase.placeholder(adapter(0.5f)), FAST,
        metrics, System.out).run());
  }

  /** An aggregator whose members come from {@code membership}, starting round 0 by {@code startPolicy}. */
  Future<FederationOutcome> aggregator(FederationLayout layout, FederationConfig config, Membership membership,
      StartPolicy startPolicy, FederationMetrics metrics) {
    ManifestStore store = connect(metrics);
    return threads.submit(() -> new Aggregator(store, layout, config, membership, startPolicy,
        AggregatorBase.placeholder(adapter(0.5f)), FAST, metrics, System.out).run());
  }

  /** A trainer that ends with the federation's outcome, whatever its rounds. */
  Future<FederationOutcome> trainer(FederationLayout layout, String client, Function<FederationConfig,
      LocalTraining> training, FederationMetrics metrics, UnaryOperator<ObjectStore> wrap) {
    return trainer(layout, client, 0, training, metrics, wrap);
  }

  /**
   * A trainer started for {@code targetRounds} rounds; it fetches and verifies the published (placeholder) base
   * before training, as a real one does.
   */
  Future<FederationOutcome> trainer(FederationLayout layout, String client, int targetRounds,
      Function<FederationConfig, LocalTraining> training, FederationMetrics metrics, UnaryOperator<ObjectStore> wrap) {
    ManifestStore store = connect(metrics, wrap);
    return threads.submit(() -> new Trainer(store, layout, client, targetRounds, (c, base, shared) -> {
      shared.download(base);
      return training.apply(c);
    }, FAST, metrics, System.out).run());
  }

  Future<FederationOutcome> trainer(FederationLayout layout, String client, FederationMetrics metrics) {
    return trainer(layout, client, c -> shift(c, client), metrics, s -> s);
  }

  static void sleepUntil(long epochMillis) {
    long left = epochMillis - System.currentTimeMillis();
    if (left > 0) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void sleepUntilExists(ManifestStore store, String key, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!store.exists(key)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(key + " did not appear within " + timeoutMillis + " ms");
      }
      Thread.sleep(20);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.get(240, TimeUnit.SECONDS); // a bound a loaded 2-core CI machine stays well inside (57 s for two runs idle)
  }

  @Override
  public void close() throws Exception {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    for (AutoCloseable c : clients) {
      c.close();
    }
    server.close();
  }
}
