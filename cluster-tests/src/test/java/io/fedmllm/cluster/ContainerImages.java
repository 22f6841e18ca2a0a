package io.fedmllm.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trainer and operator images built (or found cached) by {@code scripts/images.sh}, and podman pointed at the
 * script's own image storage and configuration (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF from its env file), so
 * nothing here reads or changes another podman setup of the machine.
 */
final class ContainerImages {
  /** Cold: Debian packages, mmdebstrap and the trainer's build-time pre-train; cached it is seconds. */
  private static final long BUILD_BOUND_MINUTES = 40;
  private static volatile ContainerImages ensured;

  private final Map<String, String> env;

  private ContainerImages(Map<String, String> env) {
    this.env = env;
  }

  /** Why this platform cannot build or run the images at all, or null if it can. */
  static String cannotRunContainers() {
    if (!System.getProperty("os.name", "").equals("Linux") || !System.getProperty("os.arch", "").equals("amd64")) {
      return "container images are built for linux/amd64 only (this is " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ")";
    }
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
      if (!uid.equals("0")) {
        return "scripts/images.sh needs root (mmdebstrap --mode=root, apt-get, podman's root storage); uid is " + uid;
      }
      if (!Files.readString(Path.of("/proc/filesystems")).contains("\toverlay")) {
        return "the kernel has no overlay filesystem (/proc/filesystems), which podman's storage needs";
      }
    } catch (IOException e) {
      return "cannot read /proc (" + e.getMessage() + "): not a Linux system podman can run on";
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) && !Files.isExecutable(Path.of("/usr/bin/podman"))) {
      return "neither podman nor apt-get (to install it) is available";
    }
    return null;
  }

  /** Runs the script once per JVM (bounded) and reads its env file. */
  static synchronized ContainerImages ensure() {
    if (ensured == null) {
      ensured = build(TestPaths.repo().resolve("scripts/images.sh"), TestPaths.logs().resolve("images.log"));
    }
    return ensured;
  }

  private static ContainerImages build(Path script, Path log) {
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder("bash", script.toString()).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(BUILD_BOUND_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within " + BUILD_BOUND_MINUTES + " min; log: " + log);
      }
      if (p.exitValue() != 0) {
        List<String> lines = Files.readAllLines(log);
        throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "); log " + log + ", last lines:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      return new ContainerImages(Map.copyOf(env));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String get(String key) {
    String value = env.get(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("scripts/images.sh printed no " + key + " (printed " + env.keySet() + ")");
    }
    return value;
  }

  String trainerImage() {
    return get("TRAINER_IMAGE");
  }

  String operatorImage() {
    return get("OPERATOR_IMAGE");
  }

  /** The script's storage: graphroot and runroot (for the leftover-mount check). */
  List<String> storagePaths() {
    List<String> paths = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(get("CONTAINERS_STORAGE_CONF")))) {
        String l = line.trim();
        if (l.startsWith("graphroot") || l.startsWith("runroot")) {
          paths.add(l.substring(l.indexOf('"') + 1, l.lastIndexOf('"')));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (paths.size() != 2) {
      throw new IllegalStateException(get("CONTAINERS_STORAGE_CONF") + " names no graphroot and runroot: " + paths);
    }
    return paths;
  }

  record Result(int exit, String output) {}

  /**
   * {@code podman ARGS...} with the script's configuration, stdout and stderr into {@code log}; killed (and reported
   * as a failure) after {@code bound}.
   */
  Result podman(Duration bound, Path log, String... args) {
    List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", get("PODMAN_RUNTIME"),
        "--cgroup-manager", "cgroupfs"));
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "$ " + String.join(" ", cmd) + "\n");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("CONTAINERS_CONF", get("CONTAINERS_CONF"));
      pb.environment().put("CONTAINERS_STORAGE_CONF", get("CONTAINERS_STORAGE_CONF"));
      Process p = pb.start();
      if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("podman " + String.join(" ", args) + " did not finish within " + bound
            + "; log: " + log);
      }
      String all = Files.readString(log);
      return new Result(p.exitValue(), all.substring(all.indexOf('\n') + 1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run podman", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
