package io.fedmllm.cli;

import io.fedmllm.bench.ProtocolBenchmark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints what the round protocol costs without training: the store's measured loopback throughput, the bytes a round
 * must move and the time they take at it, our per-round median and its ratio to that limit, the aggregation
 * throughput from storage versus local disk, and with {@code --flower} Flower's deployment runtime on the same work
 * (tools/flower_peer), interleaved: ours, Flower, ours.
 */
@Command(
    name = "protocol-benchmark",
    mixinStandardHelpOptions = true,
    description = "Round time (no-op training) against the data-movement limit and Flower; aggregation throughput, "
        + "storage vs local disk.")
final class ProtocolBenchmarkCommand implements Callable<Integer> {

  private static final Pattern FLOWER_ROUND = Pattern.compile("^flower round (\\d+) ([0-9.]+) s");

  @Option(names = "--clients", defaultValue = "10", description = "Trainers (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--adapter-mb", defaultValue = "8", description = "Adapter size in MB (default: ${DEFAULT-VALUE}).")
  int adapterMb;

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--poll-millis", defaultValue = "100",
      description = "Longest sleep between two polls; waits start at 5 ms and double up to it (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Option(names = "--strategy", defaultValue = "fedavg", description = "Server strategy (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--flower", description = "Also run Flower's deployment runtime on the same work "
      + "(tools/flower_peer/run_peer.sh; its venv: tools/flower_peer/setup_venv.sh), interleaved: ours, Flower, ours.")
  boolean flower;

  @Option(names = "--flower-timeout-seconds", defaultValue = "900",
      description = "Bound on the Flower run (default: ${DEFAULT-VALUE}).")
  long flowerTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    List<ProtocolBenchmark.Result> ours = new ArrayList<>();
    ours.add(runOurs());
    double[] flowerRounds = null;
    if (flower) {
      flowerRounds = runFlower();
      ours.add(runOurs());
    }
    double[] periods = ours.stream().flatMapToDouble(r -> Arrays.stream(r.periodSeconds())).toArray();
    double oursMedian = median(periods);
    double limit = median(ours.stream().mapToDouble(ProtocolBenchmark.Result::dataMovementSeconds).toArray());
    ProtocolBenchmark.Result r = ours.get(0);
    System.out.println();
    System.out.printf("clients %d, adapter %.1f MB, %d rounds, %s, polls from 5 ms up to %d ms, embedded S3Proxy on "
        + "loopback, load average %s%n", r.clients(), r.adapterBytes() / 1e6, r.rounds(), strategy, pollMillis,
        loadAverage());
    for (int i = 0; i < ours.size(); i++) {
      ProtocolBenchmark.Result x = ours.get(i);
      System.out.printf("run %d: store loopback throughput PUT %.0f MB/s, GET %.0f MB/s; data-movement time %.3f s; "
          + "per-round median %.3f s (plan-to-commit median %.3f s); ratio %.2f%n", i + 1, x.putMBps(), x.getMBps(),
          x.dataMovementSeconds(), x.medianPeriodSeconds(), median(x.planToCommitSeconds()), x.limitRatio());
    }
    System.out.printf("bytes a round must move          %.1f MB read + %.1f MB written (counted: %.1f MB read, "
        + "%.1f MB written, %.0f requests per round)%n", r.roundReadBytes() / 1e6, r.roundWriteBytes() / 1e6,
        r.countedReadMBPerRound(), r.countedWriteMBPerRound(), r.requestsPerRound());
    System.out.printf("data-movement time per round     %.3f s (median of the runs' limits)%n", limit);
    System.out.printf("our per-round median             %.3f s (commit to commit, %d rounds)%n", oursMedian,
        periods.length);
    System.out.printf("ratio to the data-movement limit %.2f (goal <= 1.5)%n", oursMedian / limit);
    if (flowerRounds != null) {
      double flowerMedian = median(flowerRounds);
      System.out.printf("Flower per-round median          %.3f s (flwr 1.42.0 deployment runtime, %d rounds)%n",
          flowerMedian, flowerRounds.length);
      System.out.printf("ours / Flower                    %.3f (goal <= 0.1, i.e. >= 10x faster; %.1fx)%n",
          oursMedian / flowerMedian, flowerMedian / oursMedian);
    }
    double storage = median(ours.stream().mapToDouble(ProtocolBenchmark.Result::storageFoldMBps).toArray());
    double disk = median(ours.stream().mapToDouble(ProtocolBenchmark.Result::diskFoldMBps).toArray());
    System.out.printf("aggregation throughput, storage  %.0f MB/s (fetch, SHA-256 check, decode, fold; median of "
        + "interleaved passes)%n", storage);
    System.out.printf("aggregation throughput, disk     %.0f MB/s (the same code and bytes from local files)%n", disk);
    System.out.printf("storage / disk                   %.2f (goal >= 0.7)%n", storage / disk);
    return 0;
  }

  private ProtocolBenchmark.Result runOurs() throws Exception {
    Path work = Files.createTempDirectory("fedmllm-protocol-benchmark");
    try {
      return new ProtocolBenchmark(clients, adapterMb * 1_000_000L, rounds, Duration.ofMillis(pollMillis), strategy)
          .run(work, System.out);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Runs tools/flower_peer/run_peer.sh (bounded) and returns its per-round seconds. */
  private double[] runFlower() throws IOException, InterruptedException {
    Path script = repositoryRoot().resolve("tools/flower_peer/run_peer.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("--flower: " + script + " not found (run from a checkout of the repository)");
    }
    System.out.println("flower: " + script + " " + rounds + " " + clients + " " + adapterMb * 1_000_000L);
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), Integer.toString(rounds),
        Integer.toString(clients), Long.toString(adapterMb * 1_000_000L)).redirectErrorStream(true);
    pb.environment().put("FLOWER_PEER_TIMEOUT", Long.toString(flowerTimeoutSeconds));
    Process p = pb.start();
    List<Double> seconds = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println("flower: " + line);
        Matcher m = FLOWER_ROUND.matcher(line);
        if (m.find()) {
          seconds.add(Double.parseDouble(m.group(2)));
        }
      }
    }
    if (!p.waitFor(flowerTimeoutSeconds + 60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("--flower: run_peer.sh did not end within " + (flowerTimeoutSeconds + 60) + " s");
    }
    if (p.exitValue() != 0 || seconds.size() != rounds) {
      throw new IllegalStateException("--flower: run_peer.sh exited " + p.exitValue() + " with " + seconds.size()
          + " of " + rounds + " rounds timed (its output is above)");
    }
    return seconds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The checkout this jar was built in (trainer-image/target/the.jar), or $FEDMLLM_ROOT. */
  private static Path repositoryRoot() {
    String env = System.getenv("FEDMLLM_ROOT");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    try {
      Path jar = Path.of(ProtocolBenchmarkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent().getParent().getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the repository: " + e.getMessage(), e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
