package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.FederationStatus;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.RetryPolicy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processes as pods run them: {@code fedmllm aggregator --manifest} and one {@code fedmllm trainer --manifest
 * --client NAME} per client, each its own JVM with storage credentials only in its environment, complete the
 * manifest's federation over S3.
 */
class ManifestProcessesIT {
  private static final Path MANIFEST = Path.of("src/test/resources/manifests/local-small.yaml");

  @TempDir Path dir;

  @Test
  void aggregatorAndTrainersFromTheManifestCompleteTheFederation() throws Exception {
    try (EmbeddedObjectStore s3 = EmbeddedObjectStore.start(dir.resolve("s3"), "fed", 0)) {
      String prefix = "federations/tiny-run";
      List<Process> processes = new ArrayList<>();
      processes.add(start(s3, dir.resolve("aggregator.log"), "aggregator", "--prefix", prefix));
      for (String client : List.of("client-a", "client-b")) {
        processes.add(start(s3, dir.resolve(client + ".log"), "trainer", "--prefix", prefix, "--client", client));
      }
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "process " + i + " finished");
        assertEquals(0, p.exitValue(), "process " + i + ": " + logs());
      }
      try (ManifestStore store = new ManifestStore(s3.connect(RetryPolicy.standard()))) {
        FederationLayout layout = new FederationLayout(prefix);
        FederationOutcome outcome = store.read(layout.outcome(), FederationOutcome.class).orElseThrow();
        assertTrue(outcome.completed(), outcome.message());
        FederationStatus status = store.read(layout.status(), FederationStatus.class).orElseThrow();
        assertEquals(2, status.history().size());
        assertEquals(List.of("client-a", "client-b"), status.history().get(1).accepted());
      }
    }
  }

  private String logs() throws Exception {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        b.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  private Process start(EmbeddedObjectStore s3, Path log, String command, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.fedmllm.cli.Fedmllm", command,
        "--endpoint", s3.settings().endpoint().toString(), "--bucket", s3.settings().bucket(),
        "--manifest", MANIFEST.toString(), "--poll-millis", "100"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(s3.childEnvironment());
    pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE",
        "OMP_NUM_THREADS", "1"));
    pb.directory(new File(System.getProperty("user.dir")));
    return pb.start();
  }
}
