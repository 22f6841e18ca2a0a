package io.fedmllm.bench;

import io.fedmllm.data.partition.Scenario;
import io.fedmllm.tensor.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a plan's settings in parallel child processes ("workers"), each a {@code fedmllm benchmark} over its share of
 * the settings with one results file of its own in {@code OUT/worker-N/}, and merges what they produced.
 *
 * <p>Why processes and not threads: the tiny model's operations are too small for PyTorch's intra-op threads to pay
 * (measured: a federated run takes 43 s on one thread, 52 s on two threads of a 2-core machine), so N single-threaded
 * workers on N cores finish about N times sooner. Every cell is computed exactly as in one process (same seeds, same
 * operations), so the table is the same (checked by {@code BenchmarkWorkersIT}).
 */
public final class BenchmarkWorkers {
  private static final Pattern WORKER_DIR = Pattern.compile("worker-\\d+");
  /** How long the rest of a finished worker's output may take to arrive. */
  private static final long RELAY_DRAIN_MILLIS = 10_000;

  /** One worker: its number (from 1), its settings and its output folder. */
  public record Worker(int number, List<Scenario> settings, Path dir) {}

  /** The merged results in plan order and the workers that did not finish cleanly, as one line each. */
  public record Outcome(List<BenchmarkResult> results, List<String> failures) {}

  private final BenchmarkPlan plan;
  private final Path out;
  private final PrintStream log;

  public BenchmarkWorkers(BenchmarkPlan plan, Path out, PrintStream log) {
    this.plan = plan;
    this.out = out;
    this.log = log;
  }

  /**
   * Splits the settings that still have cells to run into at most {@code n} shares of about equal remaining work
   * (largest first onto the least loaded share), each share in plan order. Settings already complete are left out.
   */
  public static List<List<Scenario>> shares(BenchmarkPlan plan, Collection<BenchmarkResult> done, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + n);
    }
    List<Scenario> open = plan.settings().stream().filter(s -> plan.remainingCells(s, done) > 0).toList();
    List<Scenario> largestFirst = open.stream()
        .sorted(Comparator.comparingInt((Scenario s) -> plan.remainingCells(s, done)).reversed())
        .toList();
    List<List<Scenario>> shares = new ArrayList<>();
    int[] load = new int[Math.min(n, open.size())];
    for (int i = 0; i < load.length; i++) {
      shares.add(new ArrayList<>());
    }
    for (Scenario s : largestFirst) {
      int least = 0;
      for (int i = 1; i < load.length; i++) {
        least = load[i] < load[least] ? i : least;
      }
      shares.get(least).add(s);
      load[least] += plan.remainingCells(s, done);
    }
    return shares.stream().map(share -> open.stream().filter(share::contains).toList()).toList();
  }

  /**
   * Results recorded under {@code out}: its {@code results.csv} and every {@code worker-N/results.csv} (a parallel
   * run that was interrupted leaves its finished cells there). Duplicates are kept; {@link
   * BenchmarkPlan#inPlanOrder} removes them.
   */
  public static List<BenchmarkResult> recorded(Path out) throws IOException {
    List<BenchmarkResult> results = new ArrayList<>();
    Path csv = out.resolve("results.csv");
    if (Files.exists(csv)) {
      results.addAll(ResultTable.readCsv(csv));
    }
    if (Files.isDirectory(out)) {
      List<Path> workerCsvs;
      try (Stream<Path> dirs = Files.list(out)) {
        workerCsvs = dirs.filter(d -> WORKER_DIR.matcher(d.getFileName().toString()).matches())
            .map(d -> d.resolve("results.csv")).filter(Files::exists).sorted().toList();
      }
      for (Path workerCsv : workerCsvs) {
        results.addAll(ResultTable.readCsv(workerCsv));
      }
    }
    return results;
  }

  /**
   * Starts one child process per share (its command line from {@code command}), relays their output prefixed with
   * the worker's number, waits for all of them and returns {@code done} plus everything they recorded, in plan order.
   * Each worker's folder is seeded with {@code done} so that it resumes rather than repeats. Interrupting this
   * process (Ctrl-C, SIGTERM) stops the workers; their finished cells stay in their folders for {@code --resume}.
   */
  public Outcome run(List<BenchmarkResult> done, int n, Function<Worker, List<String>> command)
      throws IOException, InterruptedException {
    List<List<Scenario>> shares = shares(plan, done, n);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < shares.size(); i++) {
      Path dir = out.resolve("worker-" + (i + 1));
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve("results.csv"), new ResultTable(done).csv().getBytes(StandardCharsets.UTF_8));
      workers.add(new Worker(i + 1, shares.get(i), dir));
    }
    List<Process> processes = new ArrayList<>();
    Thread stopWorkers = new Thread(() -> processes.forEach(BenchmarkWorkers::stop));
    Runtime.getRuntime().addShutdownHook(stopWorkers);
    List<Thread> relays = new ArrayList<>();
    try {
      for (Worker w : workers) {
        log.printf("worker %d: %s%n", w.number(), w.settings().stream().map(Scenario::spec).toList());
        Process p = new ProcessBuilder(command.apply(w)).redirectErrorStream(true).start();
        processes.add(p);
        relays.add(relay(p, "[worker " + w.number() + "] "));
      }
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        int exit = processes.get(i).waitFor();
        relays.get(i).join(RELAY_DRAIN_MILLIS);
        if (exit != 0) {
          Worker w = workers.get(i);
          failures.add("worker " + w.number() + " (settings " + w.settings().stream().map(Scenario::spec).toList()
              + ") exited with " + exit + "; its finished cells are in " + w.dir().resolve("results.csv"));
        }
      }
      List<BenchmarkResult> all = new ArrayList<>(done);
      for (Worker w : workers) {
        all.addAll(ResultTable.readCsv(w.dir().resolve("results.csv")));
      }
      return new Outcome(plan.inPlanOrder(all), failures);
    } finally {
      processes.forEach(BenchmarkWorkers::stop);
      try {
        Runtime.getRuntime().removeShutdownHook(stopWorkers);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already and stops the workers itself.
      }
    }
  }

  private Thread relay(Process p, String prefix) {
    Thread t = new Thread(() -> {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (log) {
            log.println(prefix + line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read a benchmark worker's output", e);
      }
    }, prefix.trim());
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
  }
}
