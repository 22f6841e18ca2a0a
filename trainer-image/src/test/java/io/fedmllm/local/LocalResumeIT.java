package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmllm local} stopped and started again, each session its own JVM as a user runs it: a run SIGKILLed during
 * round 2 (after round 1 committed and with one of round 2's updates in) is continued by running the same manifest
 * again, a run stopped with SIGINT prints where it stopped and exits 130 and is continued with {@code --resume
 * RUN_DIR}; both end with the same final adapter bytes as an uninterrupted run on this machine. A manifest that
 * changes what the committed rounds mean is refused, naming the field.
 */
class LocalResumeIT {
  private static final Path MANIFEST = Path.of("src/test/resources/manifests/local-small.yaml");
  private static final String PREFIX = "federations/tiny-run/";
  private static final long WAIT_MILLIS = TimeUnit.MINUTES.toMillis(10);

  @TempDir Path dir;

  @Test
  void aKilledOrInterruptedRunResumesToTheAdapterOfAnUninterruptedRun() throws Exception {
    long started = System.nanoTime();
    Path uninterrupted = dir.resolve("uninterrupted");
    assertEquals(0, finish(start(uninterrupted, "a", MANIFEST.toString())), log("a"));
    byte[] expected = adapter(onlyFolder(uninterrupted));

    // SIGKILL during round 2, once round 1 is committed and one update of round 2 is in.
    Path killed = dir.resolve("killed");
    Process b = start(killed, "b", MANIFEST.toString());
    Path folder = awaitFolder(killed);
    awaitObject(folder, "rounds/00000/round.json");
    awaitObject(folder, "rounds/00001/updates/client-", "update.json");
    b.destroyForcibly();
    assertTrue(b.waitFor(60, TimeUnit.SECONDS));
    assertTrue(!committed(folder, "rounds/00001/round.json"), "killed before round 2 committed");
    assertEquals("RUNNING", new ObjectMapper().readTree(folder.resolve("run.json").toFile()).get("state").asText());

    Path changed = dir.resolve("changed.yaml");
    Files.writeString(changed, Files.readString(MANIFEST).replace("localSteps: 6", "localSteps: 7"));
    assertEquals(1, finish(start(killed, "b-changed", changed.toString())), log("b-changed"));
    assertTrue(log("b-changed").contains(folder + ": the interrupted run (1 of 2 rounds committed) has another "
        + "configuration: the manifest differs in training,"), log("b-changed"));
    assertTrue(log("b-changed").contains("start fresh with: fedmllm local --new " + changed), log("b-changed"));

    assertEquals(0, finish(start(killed, "b-resumed", MANIFEST.toString())), log("b-resumed"));
    assertTrue(log("b-resumed").contains("resuming " + folder + " after 1 of 2 committed rounds (it was killed); "
        + "to start fresh instead: fedmllm local --new " + MANIFEST), log("b-resumed"));
    assertEquals(folder, onlyFolder(killed), "resumed in the same folder");
    assertArrayEquals(expected, adapter(folder), "final adapter after SIGKILL + resume");

    // SIGINT once round 1 is committed: one line, exit 130, then --resume RUN_DIR (the manifest from run.json).
    Path interrupted = dir.resolve("interrupted");
    Process c = start(interrupted, "c", MANIFEST.toString());
    Path cFolder = awaitFolder(interrupted);
    awaitObject(cFolder, "rounds/00000/round.json");
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(c.pid())).start().waitFor());
    assertEquals(130, finish(c), log("c"));
    List<String> lines = log("c").lines().toList();
    String last = lines.get(lines.size() - 1);
    Matcher m = Pattern.compile("fedmllm: interrupted with (\\d) of 2 rounds committed.*; run folder "
        + Pattern.quote(cFolder.toString()) + "; resume with: fedmllm local --resume "
        + Pattern.quote(cFolder.toString())).matcher(last);
    assertTrue(m.matches(), last);
    int k = Integer.parseInt(m.group(1));
    assertEquals(k == 2, committed(cFolder, "rounds/00001/round.json"), "the line counts the committed rounds");
    assertEquals(1, lines.stream().filter(l -> l.startsWith("fedmllm: interrupted")).count(), log("c"));
    assertEquals("INTERRUPTED",
        new ObjectMapper().readTree(cFolder.resolve("run.json").toFile()).get("state").asText());

    assertEquals(0, finish(start(interrupted, "c-resumed", "--resume", cFolder.toString())), log("c-resumed"));
    assertArrayEquals(expected, adapter(cFolder), "final adapter after SIGINT + --resume");
    assertEquals("COMPLETED",
        new ObjectMapper().readTree(cFolder.resolve("run.json").toFile()).get("state").asText());
    System.out.printf("LocalResumeIT: 6 sessions in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static byte[] adapter(Path folder) throws IOException {
    return Files.readAllBytes(folder.resolve("adapter/adapter_model.safetensors"));
  }

  private static Path onlyFolder(Path runs) throws IOException {
    try (Stream<Path> folders = Files.list(runs)) {
      List<Path> all = folders.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static Path awaitFolder(Path runs) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.isDirectory(runs)) {
        try (Stream<Path> folders = Files.list(runs)) {
          var found = folders.filter(p -> Files.isDirectory(p.resolve("storage"))).findFirst();
          if (found.isPresent()) {
            return found.get();
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no run folder under " + runs);
  }

  /** Watches the run folder's embedded store until an object under the federation's prefix matches. */
  private static void awaitObject(Path folder, String keyStart, String... keyEnd) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (committed(folder, keyStart, keyEnd)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + keyStart + " in " + folder);
  }

  /** Whether the store's files (a test may list them) hold a key starting with {@code keyStart} (and ending so). */
  private static boolean committed(Path folder, String keyStart, String... keyEnd) throws IOException {
    Path storage = folder.resolve("storage");
    if (!Files.isDirectory(storage)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(storage)) {
      return files.filter(Files::isRegularFile).map(f -> storage.relativize(f).toString().replace('\\', '/'))
          .map(k -> k.contains(PREFIX) ? k.substring(k.indexOf(PREFIX) + PREFIX.length()) : "")
          .anyMatch(k -> k.startsWith(keyStart) && (keyEnd.length == 0 || k.endsWith(keyEnd[0])));
    }
  }

  private int finish(Process p) throws Exception {
    assertTrue(p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "session finished");
    return p.exitValue();
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  /** {@code fedmllm local ARGS --runs RUNS} as its own JVM, output (stdout and stderr) to {@code NAME.log}. */
  private Process start(Path runs, String name, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    if (sigintIgnored()) {
      // started without job control: give the child SIGINT's default disposition back, as a terminal would
      cmd.addAll(List.of("env", "--default-signal=INT"));
    }
    cmd.addAll(List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.fedmllm.cli.Fedmllm", "local"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--runs", runs.toString(), "--poll-millis", "100"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE",
        "OMP_NUM_THREADS", "1"));
    pb.environment().remove("FEDMLLM_LAUNCHER");
    pb.directory(new File(System.getProperty("user.dir")));
    return pb.start();
  }

  private static boolean sigintIgnored() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }
}
