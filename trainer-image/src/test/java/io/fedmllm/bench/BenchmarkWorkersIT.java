package io.fedmllm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.cli.Fedmllm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmllm benchmark --workers 2} against the same plan in one process: the same cells with the same metric
 * and accuracy (the workers run PyTorch on one thread each, the single process on all cores), the table in plan
 * order; a worker that is killed leaves the others' cells recorded, the run exits non-zero, and {@code --resume}
 * completes it to the same table.
 */
class BenchmarkWorkersIT {
  private static final List<String> PLAN = List.of("benchmark", "--preset", "quick",
      "--settings", "aligned:0.5,missing:0.5,cross:5:5",
      "--methods", "zero-shot,fedavg,fedadam+paper",
      "--rounds", "2", "--local-steps", "2");
  private static final Duration WORKER_APPEARS = Duration.ofSeconds(60);

  @TempDir static Path shared;
  @TempDir Path dir;

  /** The plan run in this JVM, once for both tests. */
  private static Path single;

  @BeforeAll
  static void runInOneProcess() {
    single = shared.resolve("one");
    assertEquals(0, run(with("--out", single.toString())).exit());
  }

  private record Run(int exit, String out) {}

  /** Runs the command in this JVM, capturing what it prints (it prints to System.out/err). */
  private static Run run(List<String> args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exit = Fedmllm.commandLine().execute(args.toArray(String[]::new));
      return new Run(exit, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      stdout.print(captured.toString(StandardCharsets.UTF_8));
    }
  }

  private static List<String> with(String... more) {
    List<String> args = new ArrayList<>(PLAN);
    args.addAll(Arrays.asList(more));
    return args;
  }

  /** The CSV without the seconds column: what must not depend on how the run was spread over processes. */
  private static List<String> cells(Path out) throws Exception {
    return Files.readAllLines(out.resolve("results.csv")).stream()
        .map(line -> line.substring(0, line.lastIndexOf(',')))
        .toList();
  }

  @Test
  void twoWorkersGiveTheSameTableAsOneProcess() throws Exception {
    Path two = dir.resolve("two");
    Run parallel = run(with("--workers", "2", "--out", two.toString()));
    assertEquals(0, parallel.exit());

    List<String> expected = cells(single);
    assertEquals(1 + 3 * 3, expected.size(), "header + 3 settings x 3 methods");
    assertEquals(expected, cells(two), "same cells, same order, same metric and accuracy");
    assertEquals(Files.readString(single.resolve("results.md")), Files.readString(two.resolve("results.md")));
    assertTrue(parallel.out().contains("[worker 1] ") && parallel.out().contains("[worker 2] "), parallel.out());
    for (String setting : List.of("aligned:0.5", "missing:0.5", "cross:5:5")) {
      assertTrue(parallel.out().contains("setting " + setting + ": "),
          "each worker prints its settings' wall time and peak memory: " + setting);
    }
    assertTrue(Files.exists(two.resolve("worker-1/results.csv")) && Files.exists(two.resolve("worker-2/results.csv")));
  }

  @Test
  void aKilledWorkerLosesOnlyItsUnfinishedCellsAndResumeCompletesTheTable() throws Exception {
    Path two = dir.resolve("two");

    CompletableFuture<Run> interrupted =
        CompletableFuture.supplyAsync(() -> run(with("--workers", "2", "--out", two.toString())));
    ProcessHandle worker2 = awaitWorker("worker-2");
    worker2.destroy();
    Run failed = interrupted.get(5, TimeUnit.MINUTES);
    assertEquals(1, failed.exit(), "a worker that did not finish fails the run");
    List<String> partial = cells(two);
    assertTrue(partial.size() > 1 && partial.size() < 1 + 3 * 3,
        "worker 1's cells are recorded, worker 2's are missing: " + partial);
    assertTrue(cells(single).containsAll(partial), "what was recorded equals the single-process run");

    Run resumed = run(with("--workers", "2", "--resume", "--out", two.toString()));
    assertEquals(0, resumed.exit());
    assertTrue(resumed.out().contains("resuming: " + (partial.size() - 1) + " results"), resumed.out());
    assertTrue(resumed.out().contains("setting missing:0.5: "), "the killed worker's setting ran again");
    assertFalse(resumed.out().contains("setting aligned:0.5: ") || resumed.out().contains("setting cross:5:5: "),
        "no wall time is reported for settings that were already complete");
    assertEquals(cells(single), cells(two));
  }

  /**
   * The child JVM whose command line names {@code folder}, waiting (bounded) for it to start. The command line is
   * read from /proc: under failsafe, ProcessHandle.Info did not report the workers' arguments.
   */
  private static ProcessHandle awaitWorker(String folder) throws InterruptedException {
    long deadline = System.nanoTime() + WORKER_APPEARS.toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
        Optional<ProcessHandle> worker = children.filter(p -> commandLine(p).stream().anyMatch(a -> a.endsWith(folder)))
            .findFirst();
        if (worker.isPresent()) {
          return worker.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no benchmark worker for " + folder + " within " + WORKER_APPEARS);
  }

  private static List<String> commandLine(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (java.io.IOException gone) {
      return List.of();
    }
  }
}
