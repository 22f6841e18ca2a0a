package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.Continuation;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.RetryPolicy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processes as pods run them: {@code fedmllm aggregator --manifest} and one {@code fedmllm trainer --manifest
 * --client NAME} per client, each its own JVM with storage credentials only in its environment, complete the
 * manifest's federation over S3 on the one base the aggregator published (trainers start with empty caches and never
 * pre-train); the same manifest with more rounds continues the completed federation without touching a committed
 * byte, restarted trainers load the base from their cache's copy, and fewer rounds fail with one line.
 */
class ManifestProcessesIT {
  private static final Path MANIFEST = Path.of("src/test/resources/manifests/local-small.yaml");
  private static final List<String> CLIENTS = List.of("client-a", "client-b");

  @TempDir Path dir;

  @Test
  void processesShareThePublishedBaseAndMoreRoundsContinueTheCompletedFederation() throws Exception {
    Path four = dir.resolve("four-rounds.yaml");
    Files.writeString(four, Files.readString(MANIFEST).replace("  rounds: 2\n", "  rounds: 4\n"));
    try (EmbeddedObjectStore s3 = EmbeddedObjectStore.start(dir.resolve("s3"), "fed", 0);
        ManifestStore store = new ManifestStore(s3.connect(RetryPolicy.standard()))) {
      String prefix = "federations/tiny-run";
      FederationLayout layout = new FederationLayout(prefix);

      runAll(s3, MANIFEST, prefix, "1");
      FederationOutcome outcome = store.read(layout.outcome(), FederationOutcome.class).orElseThrow();
      assertTrue(outcome.completed(), outcome.message());
      FederationProgress status = store.read(layout.status(), FederationProgress.class).orElseThrow();
      assertEquals(2, status.history().size());
      assertEquals(CLIENTS, status.history().get(1).accepted());
      BaseManifest base = store.read(layout.base(), BaseManifest.class).orElseThrow();
      assertTrue(log("aggregator-1").contains("aggregator: base: published the " + base.describe()),
          log("aggregator-1"));
      for (String client : CLIENTS) {
        String log = log(client + "-1");
        assertTrue(log.contains(client + ": base: loaded the published " + base.describe() + " from storage"), log);
        assertFalse(log.contains("pretrain"), "a trainer never pre-trains: " + log);
      }
      Map<String, byte[]> committed = objects(dir.resolve("s3"), prefix);

      runAll(s3, four, prefix, "2");
      FederationOutcome continued = store.read(layout.outcome(1), FederationOutcome.class).orElseThrow();
      assertTrue(continued.completed(), continued.message());
      assertEquals(4, continued.roundsCommitted());
      assertEquals("rounds raised from 2 to 4",
          store.read(layout.continuation(1), Continuation.class).orElseThrow().reason());
      FederationProgress after = store.read(layout.status(), FederationProgress.class).orElseThrow();
      assertEquals(List.of(1, 4, 4), List.of(after.generation(), after.roundsCommitted(), after.history().size()));
      assertEquals(CLIENTS, after.history().get(3).accepted(), "the restarted trainers took part");
      Map<String, byte[]> now = objects(dir.resolve("s3"), prefix);
      committed.forEach((key, bytes) -> {
        if (!key.equals("status.json")) {
          assertArrayEquals(bytes, now.get(key), key + " changed");
        }
      });
      assertTrue(log("aggregator-2").contains("aggregator: base: reusing the published"), log("aggregator-2"));
      for (String client : CLIENTS) {
        assertTrue(log(client + "-2").contains(client + ": base: loaded the published " + base.describe()
            + " from local copy"), log(client + "-2"));
      }

      Process lower = start(s3, dir.resolve("aggregator-3.log"), MANIFEST, "aggregator", "--prefix", prefix);
      assertTrue(lower.waitFor(120, TimeUnit.SECONDS));
      assertEquals(1, lower.exitValue());
      List<String> errors = log("aggregator-3").lines().filter(l -> l.startsWith("fedmllm:")).toList();
      assertEquals(List.of("fedmllm: rounds 2 is below the 4 rounds of the federation in " + prefix
          + " (4 committed); committed rounds are immutable, so rounds can only be raised"), errors);
    }
  }

  @Test
  void aTrainerPodWithAnEmptyTrainFileEndsTheFederationLongBeforeTheDeadlineNamingTheFile() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("volume-a"));
    Path empty = Files.writeString(mount.resolve("train.jsonl"), "");
    Path manifest = dir.resolve("empty-client.yaml");
    Files.writeString(manifest, Files.readString(MANIFEST).replace("  roundDeadline: 5m\n", "  roundDeadline: 10m\n")
        .replaceFirst("(?s)  data:\\n    format: synthetic\\n    synthetic:\\n      generator: hateful,seed=42,"
            + "count=120\\n      scenario: aligned:0.5\\n      clients: 2\\n      index: 0\\n",
            "  data:\n    format: jsonl\n    path: train.jsonl\n    volume:\n      hostPath: /srv/client-a\n"));
    String prefix = "federations/empty-client";
    FederationLayout layout = new FederationLayout(prefix);
    try (EmbeddedObjectStore s3 = EmbeddedObjectStore.start(dir.resolve("s3"), "fed", 0);
        ManifestStore store = new ManifestStore(s3.connect(RetryPolicy.standard()))) {
      long started = System.currentTimeMillis();
      Process broken = start(s3, dir.resolve("client-a-empty.log"), manifest, "trainer", "--prefix", prefix,
          "--data-mount", mount.toString(), "--client", "client-a");
      Process healthy = start(s3, dir.resolve("client-b-empty.log"), manifest, "trainer", "--prefix", prefix,
          "--client", "client-b");
      Process aggregator = start(s3, dir.resolve("aggregator-empty.log"), manifest, "aggregator", "--prefix", prefix);

      assertTrue(aggregator.waitFor(240, TimeUnit.SECONDS), "aggregator finished: " + logs());
      long took = System.currentTimeMillis() - started;
      System.out.println("ManifestProcessesIT: the federation failed " + took + " ms after the processes started"
          + " (round deadline 10 min)");
      assertTrue(took < 240_000, "took " + took + " ms");
      assertEquals(1, aggregator.exitValue(), logs());
      assertTrue(broken.waitFor(60, TimeUnit.SECONDS));
      assertTrue(broken.exitValue() != 0, "the broken trainer fails");
      assertTrue(healthy.waitFor(120, TimeUnit.SECONDS));
      FederationOutcome outcome = store.read(layout.outcome(), FederationOutcome.class).orElseThrow();
      assertEquals(0, outcome.roundsCommitted());
      assertTrue(outcome.message().contains("client-a failed: " + manifest + ": FederationClient client-a: spec.data: "
          + empty + ": no samples: the file holds no records"), outcome.message());
      assertTrue(log("client-a-empty").contains("client-a: cannot take part, recorded for the aggregator"),
          log("client-a-empty"));
    }
  }

  /** One aggregator and one trainer per client, each with its own cache; all must exit 0. */
  private void runAll(EmbeddedObjectStore s3, Path manifest, String prefix, String run) throws Exception {
    List<Process> processes = new ArrayList<>();
    // Trainers first, as pods may start: they wait for the aggregator's base (and continuation).
    for (String client : CLIENTS) {
      processes.add(start(s3, dir.resolve(client + "-" + run + ".log"), manifest, "trainer", "--prefix", prefix,
          "--client", client));
    }
    processes.add(start(s3, dir.resolve("aggregator-" + run + ".log"), manifest, "aggregator", "--prefix", prefix));
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "process " + i + " finished");
      assertEquals(0, p.exitValue(), "process " + i + ": " + logs());
    }
  }

  /** Every stored object under the prefix, from the store's files (a test may list). */
  private static Map<String, byte[]> objects(Path root, String prefix) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(f).toString().replace('\\', '/');
        int at = relative.indexOf(prefix + "/");
        if (at >= 0) {
          out.put(relative.substring(at + prefix.length() + 1), Files.readAllBytes(f));
        }
      }
    }
    assertTrue(out.containsKey("rounds/00001/round.json"), out.keySet().toString());
    return out;
  }

  private String log(String name) throws Exception {
    return Files.readString(dir.resolve(name + ".log"));
  }

  private String logs() throws Exception {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        b.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  /**
   * A process as a pod runs it. Trainers get their own empty cache (a pod's emptyDir), kept across restarts; the
   * aggregator uses the machine's base cache.
   */
  private Process start(EmbeddedObjectStore s3, Path log, Path manifest, String command, String... args)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.fedmllm.cli.Fedmllm", command,
        "--endpoint", s3.settings().endpoint().toString(), "--bucket", s3.settings().bucket(),
        "--manifest", manifest.toString(), "--poll-millis", "100"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(s3.childEnvironment());
    pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE",
        "OMP_NUM_THREADS", "1"));
    if (command.equals("trainer")) {
      pb.environment().put("FEDMLLM_CACHE", dir.resolve("cache-" + args[args.length - 1]).toString());
    }
    pb.directory(new File(System.getProperty("user.dir")));
    return pb.start();
  }
}
