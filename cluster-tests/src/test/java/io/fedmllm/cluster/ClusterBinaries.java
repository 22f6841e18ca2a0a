package io.fedmllm.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The control-plane binaries these tests run, built (or found cached) by {@code scripts/k8s-binaries.sh}: the script
 * is idempotent (about a second when cached, about 8 minutes from an empty cache) and writes an env file naming every
 * binary. Running it from the tests keeps the README's one test command self-sufficient on a fresh machine.
 */
public record ClusterBinaries(Map<String, String> env) {

  private static final long BUILD_BOUND_MINUTES = 30;
  private static volatile ClusterBinaries ensured;

  /** Runs the script once per JVM (bounded) and reads its env file. */
  public static synchronized ClusterBinaries ensure() {
    if (ensured == null) {
      ensured = build(TestPaths.repo().resolve("scripts/k8s-binaries.sh"), TestPaths.logs().resolve("k8s-binaries.log"));
    }
    return ensured;
  }

  private static ClusterBinaries build(Path script, Path log) {
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder("bash", script.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(BUILD_BOUND_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within " + BUILD_BOUND_MINUTES + " min; log: " + log);
      }
      List<String> out = Files.readAllLines(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "); last lines:\n"
            + String.join("\n", out.subList(Math.max(0, out.size() - 15), out.size())));
      }
      String marker = "env file (";
      Path envFile = out.stream().filter(l -> l.startsWith(marker))
          .map(l -> Path.of(l.substring(marker.length(), l.indexOf(')'))))
          .findFirst().orElseThrow(() -> new IllegalStateException(script + " did not name its env file; log: " + log));
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : Files.readAllLines(envFile)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      return new ClusterBinaries(Map.copyOf(env));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path path(String key) {
    String value = env.get(key);
    if (value == null) {
      throw new IllegalStateException("k8s-binaries env file has no " + key + " (has " + env.keySet() + ")");
    }
    return Path.of(value);
  }

  /** Version without the leading v, as kube-api-test names its directory (1.34.12). */
  public String kubernetesVersion() {
    String v = env.getOrDefault("K8S_VERSION", "");
    return v.startsWith("v") ? v.substring(1) : v;
  }
}
