package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real images (scripts/images.sh: trainer-image/Dockerfile and operator/src/main/docker/Dockerfile.jvm built with
 * buildah on a local Debian JRE 17 base) run by podman the way the operator's pods run them: read-only root, the
 * image's non-root user, every capability dropped, no network, writable only the volumes a pod mounts (tmpfs owned by
 * the container user, as fsGroup makes the emptyDirs). Skipped only where containers cannot run at all
 * ({@link ContainerImages#cannotRunContainers}).
 */
class ImagesIT {
  private static final String TRAINER_UID = "10001";
  private static final String OPERATOR_UID = "185";
  /** Every container this class creates is named so; all are removed after the class. */
  private static final String PREFIX = "fedmllm-imagesit-";
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static ContainerImages images;
  private static Path dir;

  @BeforeAll
  static void buildImages() {
    String why = ContainerImages.cannotRunContainers();
    Assumptions.assumeTrue(why == null, () -> "ImagesIT skipped: this platform cannot run containers: " + why);
    images = ContainerImages.ensure();
    dir = TestPaths.logs().resolve("images-it");
  }

  @AfterAll
  static void removeEverythingCreated() throws IOException {
    if (images == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (String name : CREATED) {
      ContainerImages.Result r = images.podman(Duration.ofSeconds(60), dir.resolve("cleanup-" + name + ".log"),
          "rm", "--force", "--time", "5", "--volumes", name);
      if (r.exit() != 0 && !r.output().contains("no such container")) {
        problems.add("podman rm " + name + " failed: " + r.output());
      }
    }
    ContainerImages.Result ps = images.podman(Duration.ofSeconds(60), dir.resolve("cleanup-ps.log"),
        "ps", "--all", "--format", "{{.Names}}", "--filter", "name=^" + PREFIX);
    if (ps.exit() != 0 || !ps.output().isBlank()) {
      problems.add("containers left behind (exit " + ps.exit() + "): " + ps.output());
    }
    // No mount of the image storage outlives the containers (overlay rootfs, tmpfs, the storage itself).
    List<String> storage = images.storagePaths();
    List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> storage.stream().anyMatch(l::contains)).toList();
    if (!mounts.isEmpty()) {
      problems.add("mounts left behind:\n" + String.join("\n", mounts));
    }
    // --network none everywhere: podman must not have set up its CNI bridge.
    try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
      List<String> bridges = links.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("cni-podman") || n.equals("podman0")).toList();
      if (!bridges.isEmpty()) {
        problems.add("podman network interfaces left behind: " + bridges);
      }
    }
    // ... nor its iptables chains (CNI-*), nor a network namespace (/run/netns/netns-*).
    for (String table : List.of("filter", "nat")) {
      String rules = command(Duration.ofSeconds(30), "iptables", "-t", table, "-S");
      if (rules != null && rules.contains("CNI-")) {
        problems.add("iptables " + table + " chains left behind:\n" + rules);
      }
    }
    Path netns = Path.of("/run/netns");
    if (Files.isDirectory(netns)) {
      try (Stream<Path> s = Files.list(netns)) {
        List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("netns-")).toList();
        if (!left.isEmpty()) {
          problems.add("network namespaces left behind in /run/netns: " + left);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  // ------------------------------------------------------------------ trainer image

  @Test
  void trainerImageDeclaresItsUserAndEveryFileIsReadableByIt() {
    assertEquals(TRAINER_UID + ":" + TRAINER_UID, inspect(images.trainerImage(), "{{.Config.User}}"),
        "USER of " + images.trainerImage() + " (PodBlueprint runs uid 10001)");
    ContainerImages.Result r = runChecked("trainer-files", images.trainerImage(), TRAINER_UID, Duration.ofMinutes(2),
        "--entrypoint", "sh", images.trainerImage(), "-c", readabilityScript("/opt/fedmllm /etc/fedmllm"));
    assertReadable(r, "/opt/fedmllm", 100);
    // The bundled tiny base (pre-trained at build time as root) is there and counted above.
    assertTrue(r.output().contains("base model.safetensors: 1"),
        "the image bundles exactly one tiny base under /opt/fedmllm/base:\n" + r.output());
  }

  @Test
  void theReadabilityCheckFindsABundledBaseOnlyRootCanRead() {
    // What the image had before AtomicFiles published files with the umask's modes: the base 0600, owned by root.
    // The same check as above, run as uid 10001 (setpriv) after root made that so, must report the file.
    String script = "chmod 600 /opt/fedmllm/base/*/model.safetensors"
        + " && exec setpriv --reuid " + TRAINER_UID + " --regid " + TRAINER_UID + " --clear-groups sh -c \"$0\"";
    String name = PREFIX + "trainer-planted-" + shortId();
    ContainerImages.Result r = run(name, false, "0", Duration.ofMinutes(2), List.of("--cap-add", "SETUID,SETGID",
        "--entrypoint", "sh", images.trainerImage(), "-c", script, readabilityScript("/opt/fedmllm")));
    assertEquals(0, r.exit(), "planting the unreadable file failed:\n" + r.output());
    assertTrue(r.output().contains("id: " + TRAINER_UID + ":" + TRAINER_UID), "did not run as uid 10001:\n" + r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.startsWith("unreadable: -rw------- 0:0 /opt/fedmllm/base/")
        && l.endsWith("/model.safetensors")), "the check missed the 0600 base:\n" + r.output());
  }

  @Test
  void trainerRunsAFederationWithAReadOnlyRoot() throws IOException {
    Path runs = federation("read-only", true);
    assertOneCompletedRun(runs);
  }

  @Test
  void trainerWritesNothingOutsideItsVolumes() throws IOException {
    // The same run with a writable root: whatever it wrote outside the mounted volumes shows in podman diff (a
    // read-only root alone would hide a write whose failure the process ignores).
    String name = PREFIX + "trainer-diff-" + shortId();
    Path runs = federation(name, false);
    assertOneCompletedRun(runs);
    assertNoChanges(name);
  }

  // ------------------------------------------------------------------ operator image

  @Test
  void operatorImageDeclaresItsUserAndEveryFileIsReadableByIt() {
    assertEquals(OPERATOR_UID + ":" + OPERATOR_UID, inspect(images.operatorImage(), "{{.Config.User}}"),
        "USER of " + images.operatorImage() + " (the chart's podSecurityContext.runAsUser)");
    ContainerImages.Result r = runChecked("operator-files", images.operatorImage(), null, Duration.ofMinutes(2),
        "--entrypoint", "sh", images.operatorImage(), "-c", readabilityScript("/deployments"));
    assertReadable(r, "/deployments", 100);
  }

  @Test
  void operatorStartsWithAReadOnlyRootAndReportsTheUnreachableApiServer() {
    String log = operatorUntilApiServerError(true);
    assertTrue(!log.contains("Read-only file system") && !log.contains("AccessDeniedException"),
        "the operator wrote outside /tmp:\n" + log);
  }

  @Test
  void operatorWritesNothingOutsideTmp() {
    operatorUntilApiServerError(false);
    assertNoChanges(lastCreated());
  }

  // ------------------------------------------------------------------ helpers

  /** Output of a command, or null if it is not installed; bounded. */
  private static String command(Duration bound, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + bound);
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A POSIX sh script run as the image's user: lists what it cannot read (or enter), counts what it can. */
  private static String readabilityScript(String roots) {
    return "echo \"id: $(id -u):$(id -g)\"; "
        + "find " + roots + " \\( ! -readable -o \\( -type d ! -executable \\) \\) -printf 'unreadable: %M %U:%G %p\\n'"
        + " 2>&1 | sed 's/^find: /unreadable: /'; "
        + "echo \"files: $(find " + roots + " -type f -readable 2>/dev/null | wc -l)\"; "
        + "echo \"base model.safetensors: $(find " + roots + " -path '*/base/*' -name model.safetensors 2>/dev/null"
        + " | wc -l)\"";
  }

  private static void assertReadable(ContainerImages.Result r, String root, int minFiles) {
    List<String> bad = r.output().lines().filter(l -> l.startsWith("unreadable: ")).toList();
    assertTrue(bad.isEmpty(), "files under " + root + " the image's user cannot read:\n" + String.join("\n", bad));
    int files = r.output().lines().filter(l -> l.startsWith("files: "))
        .mapToInt(l -> Integer.parseInt(l.substring("files: ".length()).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("no file count in:\n" + r.output()));
    assertTrue(files >= minFiles, "only " + files + " files under " + root + " (the check saw nothing?):\n" + r.output());
  }

  /**
   * {@code fedmllm local} on a two-client, one-round federation (the CPU example's data, fewer steps) as the
   * aggregator and trainer pods run: uid 10001, no capabilities, no network, the image's bundled base, the manifest
   * read-only at /etc/fedmllm, writable only /tmp and /var/cache/fedmllm (ENGINE_CACHE_DIR: PyTorch's natives) and
   * the runs folder. Returns the runs folder on the host.
   */
  private static Path federation(String nameOrLabel, boolean readOnly) throws IOException {
    String name = nameOrLabel.startsWith(PREFIX) ? nameOrLabel : PREFIX + "trainer-" + nameOrLabel + "-" + shortId();
    Path work = dir.resolve(name);
    Path manifestDir = Files.createDirectories(work.resolve("manifest"));
    Files.writeString(manifestDir.resolve("federation.yaml"), MANIFEST);
    Path runs = Files.createDirectories(work.resolve("runs"));
    List<String> args = new ArrayList<>(List.of(
        "-v", manifestDir + ":/etc/fedmllm:ro", "-v", runs + ":/tmp/runs:U",
        "--tmpfs", "/var/cache/fedmllm:rw,U,size=1g,mode=0755",
        images.trainerImage(), "local", "--runs", "/tmp/runs", "/etc/fedmllm/federation.yaml"));
    ContainerImages.Result r = run(name, readOnly, TRAINER_UID, Duration.ofMinutes(8), args);
    assertEquals(0, r.exit(), "fedmllm local in " + images.trainerImage() + (readOnly ? " (read-only root)" : "")
        + " exited " + r.exit() + "; log " + work + ".log:\n" + tail(r.output(), 30));
    assertTrue(!r.output().contains("Read-only file system"), "a write outside the volumes failed:\n" + r.output());
    return runs;
  }

  private static void assertOneCompletedRun(Path runs) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(runs)) {
      folders = s.filter(Files::isDirectory).toList();
    }
    assertEquals(1, folders.size(), "run folders in " + runs + ": " + folders);
    Path run = folders.get(0);
    String state = Files.readString(run.resolve("run.json"));
    assertTrue(state.contains("COMPLETED"), run.resolve("run.json") + " is not COMPLETED: " + state);
    assertTrue(Files.size(run.resolve("summary.json")) > 0, run.resolve("summary.json") + " is empty");
    assertTrue(Files.isDirectory(run.resolve("adapter")), run + " has no final adapter/");
  }

  /**
   * Runs the operator image against an API server that is not there (no network: nothing listens on
   * 127.0.0.1:1) until it gives up; returns its log. It must fail for that reason alone, naming the address, and
   * exit (so that a pod restarts it) rather than hang. The read-only variant mounts only /tmp, as the chart does.
   */
  private static String operatorUntilApiServerError(boolean readOnly) {
    String name = PREFIX + "operator-" + (readOnly ? "ro-" : "diff-") + shortId();
    Path log = dir.resolve(name + ".out.log");
    List<String> args = List.of("--detach",
        // No retries of the refused request (the client's default backs off for about 20 s before giving up).
        "-e", "KUBERNETES_MASTER=https://127.0.0.1:1", "-e", "KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0",
        "-e", "KUBERNETES_NAMESPACE=fedmllm-system",
        "-e", "FEDMLLM_OPERATOR_LEADER_ELECTION_ENABLED=false", "-e", "JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=/tmp",
        images.operatorImage());
    ContainerImages.Result started = run(name, readOnly, null, Duration.ofMinutes(1), args);
    assertEquals(0, started.exit(), "podman run --detach " + images.operatorImage() + ":\n" + started.output());
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = inspect(name, "{{.State.Status}} {{.State.ExitCode}}", "container");
      if (state.startsWith("exited") || state.startsWith("stopped")) {
        break;
      }
      Sleep.millis(1000);
    }
    String out = images.podman(Duration.ofSeconds(30), log, "logs", name).output();
    if (!state.startsWith("exited") && !state.startsWith("stopped")) {
      images.podman(Duration.ofSeconds(60), dir.resolve(name + ".stop.log"), "stop", "--time", "10", name);
      fail("the operator did not give up on the unreachable API server within 180 s (log " + log + "):\n"
          + tail(out, 40));
    }
    assertTrue(!state.endsWith(" 0"), "the operator exited 0 without an API server: " + state);
    assertTrue(out.contains(API_SERVER_ERROR) && out.contains("Failed to start"),
        "the operator did not stop because of the unreachable API server (" + API_SERVER_ERROR + ", log " + log
            + "):\n" + tail(out, 40));
    return out;
  }

  /** How the fabric8 client reports the refused connection to KUBERNETES_MASTER. */
  private static final String API_SERVER_ERROR = "Connection refused: /127.0.0.1:1";

  /** podman diff of a stopped container must list nothing but the mount points podman itself adds. */
  private static void assertNoChanges(String name) {
    ContainerImages.Result diff = images.podman(Duration.ofSeconds(60), dir.resolve(name + ".diff.log"), "diff", name);
    assertEquals(0, diff.exit(), "podman diff " + name + ":\n" + diff.output());
    List<String> changes = diff.output().lines().map(String::trim).filter(l -> !l.isEmpty())
        .filter(l -> !PODMAN_OWN.contains(l)).collect(Collectors.toList());
    assertTrue(changes.isEmpty(), name + " changed its root filesystem outside the mounted volumes:\n"
        + String.join("\n", changes));
  }

  /**
   * What podman diff lists for any container, even {@code /bin/true} with a read-only root: podman bind-mounts
   * /etc/hosts, /etc/hostname and /etc/resolv.conf. A file the process adds or changes in /etc still shows.
   */
  private static final Set<String> PODMAN_OWN = Set.of("C /etc");

  private static ContainerImages.Result runChecked(String label, String image, String user, Duration bound,
      String... args) {
    String name = PREFIX + label + "-" + shortId();
    ContainerImages.Result r = run(name, true, user, bound, List.of(args));
    assertEquals(0, r.exit(), "podman run " + image + " exited " + r.exit() + ":\n" + tail(r.output(), 30));
    return r;
  }

  /**
   * {@code podman run} with what every pod of the operator gets: no capabilities, no privilege escalation, no
   * network, /tmp a tmpfs owned by the user; with a read-only root and without podman's own writable /run, /var/tmp.
   */
  private static ContainerImages.Result run(String name, boolean readOnly, String user, Duration bound,
      List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("run", "--name", name, "--network", "none", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--pull", "never",
        "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768",
        "--tmpfs", "/tmp:rw,U,size=1g,mode=1777"));
    if (readOnly) {
      cmd.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (user != null) {
      cmd.addAll(List.of("--user", user + ":" + user));
    }
    cmd.addAll(args);
    CREATED.add(name);
    return images.podman(bound, dir.resolve(name + ".log"), cmd.toArray(String[]::new));
  }

  private static String lastCreated() {
    return CREATED.get(CREATED.size() - 1);
  }

  private static String inspect(String target, String format) {
    return inspect(target, format, "image");
  }

  private static String inspect(String target, String format, String type) {
    ContainerImages.Result r = images.podman(Duration.ofSeconds(60), dir.resolve("inspect.log"),
        type, "inspect", "--format", format, target);
    assertEquals(0, r.exit(), "podman " + type + " inspect " + target + ":\n" + r.output());
    return r.output().trim();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String tail(String s, int lines) {
    List<String> all = s.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** examples/local-aligned-4clients.yaml cut to two clients, one round of a few steps. */
  private static final String MANIFEST = """
      apiVersion: fedmllm.io/v1alpha1
      kind: Federation
      metadata:
        name: image-check
      spec:
        task: hateful
        model:
          preset: tiny
        rounds: 1
        minClients: 2
        roundDeadline: 10m
        training:
          localSteps: 4
          batchSize: 4
          learningRate: 3.0e-3
          warmupRatio: 0
        serverStrategy:
          name: fedavg
        evalData:
          format: synthetic
          synthetic:
            generator: hateful,seed=42,count=40
          split: test
      ---
      apiVersion: fedmllm.io/v1alpha1
      kind: FederationClient
      metadata:
        name: client-0
      spec:
        federationRef:
          name: image-check
        data:
          format: synthetic
          synthetic:
            generator: hateful,seed=42,count=80
            scenario: aligned:0.5
            clients: 2
            index: 0
      ---
      apiVersion: fedmllm.io/v1alpha1
      kind: FederationClient
      metadata:
        name: client-1
      spec:
        federationRef:
          name: image-check
        data:
          format: synthetic
          synthetic:
            generator: hateful,seed=42,count=80
            scenario: aligned:0.5
            clients: 2
            index: 1
      """;
}
