package io.fedmllm.bench;

import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.FedAdam;
import io.fedmllm.strategy.FedAvg;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Prints adapter codec speed and server aggregation cost. Not a test: numbers depend on the machine.
 *
 * <p>Measures, for a PEFT-shaped LoRA adapter of about {@code --adapter-mb} MiB: safetensors write + read through a
 * file and in memory (median of {@code --repeats}); and for FedAvg and FedAdam with K = {@code --clients} updates:
 * the time to add K updates and finish, the heap retained by the aggregation after K updates (measured after a full
 * GC; it should not grow with K) and the peak heap seen (which also counts garbage not yet collected).
 *
 * <p>Options: {@code --repeats N} (9), {@code --adapter-mb M} (8), {@code --clients 2,10,50}. Run it with a small
 * heap (e.g. {@code -Xmx128m}) to see that 50 updates of 8 MiB stream through an aggregation that never holds them.
 */
public final class AggregationBenchmark {

  private static final int HIDDEN = 1024;
  private static final int RANK = 8;
  private static final double MIB = 1024.0 * 1024.0;

  private AggregationBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = parse(args);
    int repeats = Integer.parseInt(options.getOrDefault("--repeats", "9"));
    int adapterMb = Integer.parseInt(options.getOrDefault("--adapter-mb", "8"));
    int[] clientCounts = Arrays.stream(options.getOrDefault("--clients", "2,10,50").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();

    TensorMap adapter = adapter(adapterMb, 1);
    System.out.printf(Locale.ROOT, "adapter: %d tensors, %.2f MiB float32 (hidden %d, r %d)%n", adapter.size(),
        adapter.byteSize() / MIB, HIDDEN, RANK);
    codec(adapter, repeats);
    aggregation(FedAdam.NAME, adapter, 4, false); // JIT warm-up, not printed
    System.out.printf(Locale.ROOT, "aggregation (max heap %.0f MiB; K updates of %.2f MiB stream through it):%n",
        Runtime.getRuntime().maxMemory() / MIB, adapter.byteSize() / MIB);
    for (String strategy : List.of(FedAvg.NAME, FedAdam.NAME)) {
      for (int k : clientCounts) {
        aggregation(strategy, adapter, k, true);
      }
    }
  }

  private static void codec(TensorMap adapter, int repeats) throws IOException {
    Path dir = Files.createTempDirectory("fedmllm-bench");
    Path file = dir.resolve("adapter_model.safetensors");
    try {
      List<Double> write = new ArrayList<>();
      List<Double> read = new ArrayList<>();
      List<Double> encode = new ArrayList<>();
      List<Double> decode = new ArrayList<>();
      byte[] bytes = null;
      for (int i = 0; i < repeats + 1; i++) { // the first iteration warms up
        long t0 = System.nanoTime();
        Safetensors.write(file, adapter, Map.of("format", "pt"));
        long t1 = System.nanoTime();
        TensorMap back = Safetensors.read(file).tensors();
        long t2 = System.nanoTime();
        bytes = Safetensors.encode(adapter, Map.of("format", "pt"));
        long t3 = System.nanoTime();
        TensorMap decoded = Safetensors.decode(bytes, "memory").tensors();
        long t4 = System.nanoTime();
        if (!back.equals(adapter) || !decoded.equals(adapter)) {
          throw new IllegalStateException("round trip changed the adapter");
        }
        if (i > 0) {
          write.add((t1 - t0) / 1e6);
          read.add((t2 - t1) / 1e6);
          encode.add((t3 - t2) / 1e6);
          decode.add((t4 - t3) / 1e6);
        }
      }
      double mib = bytes.length / MIB;
      System.out.printf(Locale.ROOT, "safetensors (%.2f MiB, median of %d):%n", mib, repeats);
      printCodec("  write file (fsync, rename)", median(write), mib);
      printCodec("  read file                 ", median(read), mib);
      printCodec("  encode in memory          ", median(encode), mib);
      printCodec("  decode in memory          ", median(decode), mib);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static void printCodec(String label, double ms, double mib) {
    System.out.printf(Locale.ROOT, "%s %8.2f ms  %8.0f MiB/s%n", label, ms, mib / (ms / 1000));
  }

  private static void aggregation(String name, TensorMap global, int clients, boolean print) {
    ServerStrategy strategy = ServerStrategyConfig.defaults(name).create(clients);
    ServerState state = strategy.initialState(global);
    long baseline = usedHeapAfterGc();
    resetPeaks();
    Aggregation agg = strategy.begin(global, state);
    long addNanos = 0;
    for (int k = 0; k < clients; k++) {
      ClientUpdate update = ClientUpdate.of(String.format("client-%03d", k), adapter(global, 100 + k), 100);
      long t0 = System.nanoTime();
      agg.add(update);
      addNanos += System.nanoTime() - t0;
    }
    long retained = usedHeapAfterGc() - baseline;
    long t0 = System.nanoTime();
    RoundResult result = agg.finish();
    long finishNanos = System.nanoTime() - t0;
    long peak = peakHeap() - baseline;
    if (result.global().size() != global.size()) {
      throw new IllegalStateException("aggregation lost tensors");
    }
    if (!print) {
      return;
    }
    double totalMs = (addNanos + finishNanos) / 1e6;
    System.out.printf(Locale.ROOT,
        "  %-8s K=%-3d aggregate %8.1f ms (add %6.2f ms/update, finish %6.1f ms, %6.0f MiB/s in)  "
            + "retained by aggregation %6.1f MiB  peak heap %6.1f MiB%n",
        name, clients, totalMs, addNanos / 1e6 / clients, finishNanos / 1e6,
        clients * global.byteSize() / MIB / (addNanos / 1e9), retained / MIB, peak / MIB);
  }

  /** A PEFT-named LoRA adapter of about {@code mib} MiB with pseudo-random values. */
  static TensorMap adapter(int mib, long seed) {
    long floatsPerLayer = 4L * 2 * RANK * HIDDEN;
    int layers = (int) Math.max(1, Math.round(mib * MIB / Float.BYTES / floatsPerLayer));
    SplittableRandom random = new SplittableRandom(seed);
    TensorMap.Builder b = TensorMap.builder();
    for (int layer = 0; layer < layers; layer++) {
      for (String module : LoraNames.ATTENTION_PROJECTIONS) {
        b.put(LoraNames.a(layer, module), randomTensor(random, RANK, HIDDEN));
        b.put(LoraNames.b(layer, module), randomTensor(random, HIDDEN, RANK));
      }
    }
    return b.build();
  }

  /** A client's adapter: the global one plus small deterministic noise. */
  private static TensorMap adapter(TensorMap global, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TensorMap.Builder b = TensorMap.builder();
    global.forEach(e -> {
      float[] g = e.getValue().data();
      float[] w = new float[g.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = g[i] + (float) ((random.nextDouble() - 0.5) * 1e-3);
      }
      b.put(e.getKey(), new Tensor(e.getValue().shape(), w));
    });
    return b.build();
  }

  private static Tensor randomTensor(SplittableRandom random, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) ((random.nextDouble() - 0.5) * 0.04);
    }
    return new Tensor(new long[] {rows, cols}, data);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** Sum of the heap pools' peaks: an upper bound on the peak of their total. */
  private static long peakHeap() {
    return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (!List.of("--repeats", "--adapter-mb", "--clients").contains(key) || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: AggregationBenchmark [--repeats N] [--adapter-mb M] "
            + "[--clients K1,K2,...]; got '" + key + "'");
      }
      options.put(key, args[++i]);
    }
    return options;
  }
}
