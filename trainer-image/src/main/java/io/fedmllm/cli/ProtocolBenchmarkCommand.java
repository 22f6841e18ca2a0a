package io.fedmllm.cli;

import io.fedmllm.bench.ProtocolBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints what the round protocol costs without training: time per round and aggregation throughput. */
@Command(
    name = "protocol-benchmark",
    mixinStandardHelpOptions = true,
    description = "Round orchestration overhead (no-op training) and aggregation throughput, storage vs local disk.")
final class ProtocolBenchmarkCommand implements Callable<Integer> {

  @Option(names = "--clients", defaultValue = "10", description = "Trainers (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--adapter-mb", defaultValue = "8", description = "Adapter size in MB (default: ${DEFAULT-VALUE}).")
  int adapterMb;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--poll-millis", defaultValue = "100", description = "Manifest polling interval.")
  long pollMillis;

  @Option(names = "--strategy", defaultValue = "fedavg", description = "Server strategy (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("fedmllm-protocol-benchmark");
    try {
      ProtocolBenchmark.Result r = new ProtocolBenchmark(clients, adapterMb * 1_000_000L, rounds,
          Duration.ofMillis(pollMillis), strategy).run(work, System.out);
      System.out.printf("clients %d, adapter %.1f MB, %d rounds, %s, poll %d ms, embedded S3Proxy on loopback%n",
          r.clients(), r.adapterBytes() / 1e6, r.rounds(), strategy, pollMillis);
      System.out.printf("time per round (plan to commit)   %.3f s%n", r.meanRoundSeconds());
      System.out.printf("no-op training (slowest client)   %.3f s%n", r.meanTrainingSeconds());
      System.out.printf("orchestration overhead per round  %.3f s%n", r.orchestrationOverheadSeconds());
      System.out.printf("aggregation per round             %.3f s%n", r.meanAggregationSeconds());
      System.out.printf("aggregation throughput, storage   %.1f MB/s%n", r.storageAggregationMBps());
      System.out.printf("aggregation throughput, disk      %.1f MB/s%n", r.diskAggregationMBps());
      System.out.printf("storage, median round             %.1f MB/s%n", r.medianStorageAggregationMBps());
      System.out.printf("storage / disk (median round)     %.2f (goal >= 0.7)%n", r.storageToDiskRatio());
      return 0;
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
