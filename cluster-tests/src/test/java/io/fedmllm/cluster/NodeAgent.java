package io.fedmllm.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * TEST INFRASTRUCTURE, not part of the product: a minimal kubelet for one Node, so the real scheduler, garbage
 * collector and operator can be exercised without a container runtime.
 *
 * <p>It registers a Node with the given capacity (e.g. {@code nvidia.com/gpu: 2}) and Ready condition, watches the
 * pods the scheduler binds to it, and runs each pod's single container as a local process:
 * <ul>
 *   <li>the image is mapped to a local entry point (the trainer image to {@code java -jar fedmllm-trainer.jar}, what
 *       its ENTRYPOINT runs); the container's args are appended; a {@code command} override is not supported;
 *   <li>env: plain values, and {@code secretKeyRef} resolved from the Secret through the API; a missing Secret or
 *       key (CreateContainerConfigError) or ConfigMap (FailedMount) keeps the pod waiting and is retried every
 *       second, as the kubelet does;
 *   <li>volumes: configMap (files written from the ConfigMap, and rewritten, each file replaced atomically, when the
 *       ConfigMap changes while the pod runs, as the kubelet's periodic sync does, only sooner), emptyDir (a fresh
 *       directory), hostPath (the host path itself). The process sees local directories, so every mount path that appears in an argument or env
 *       value (at a path boundary, e.g. {@code /etc/fedmllm/x.yaml}, {@code -Djava.io.tmpdir=/tmp}) is rewritten
 *       to its directory;
 *   <li>network: pods share the host's loopback, so each declared container port gets a free host port and an
 *       argument equal to the container port number is rewritten to it ({@link #hostPort}); podIP is 127.0.0.1;
 *   <li>status: Running with a container status, then Succeeded / Failed with the exit code and the log's tail;
 *       restartPolicy OnFailure / Always restarts the process in place (restartCount, lastState), Never does not;
 *   <li>deletion: a pod being deleted gets its process killed and is then removed (grace period 0), as the kubelet
 *       confirms a deletion.
 * </ul>
 * It fails loudly: anything it cannot run marks the pod Failed with a reason and message naming what.
 * Not emulated: securityContext (processes run as the test's user), resource limits, probes, init containers.
 */
public final class NodeAgent implements AutoCloseable {

  private static final long RESTART_DELAY_MS = 2_000;
  private static final long RETRY_MS = 1_000;

  private final KubernetesClient client;
  private final String nodeName;
  private final Map<String, String> capacity;
  private final Map<String, Image> images;

  /**
   * What the agent runs for an image: the command its ENTRYPOINT stands for and the environment its ENV sets (the
   * pod's env overrides it, as in a container).
   */
  public record Image(List<String> entrypoint, Map<String, String> env) {}
  private final Path workDir;
  private final ExecutorService launcher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "node-agent-launcher");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-agent-retries");
        t.setDaemon(true);
        return t;
      });
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> done = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> ports = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;
  private SharedIndexInformer<ConfigMap> configMaps;
  private volatile boolean closed;

  /** One started container process of a pod. */
  private static final class Running {
    final Pod pod;
    volatile ManagedProcess process;
    volatile boolean stopping;
    int restarts;

    Running(Pod pod) {
      this.pod = pod;
    }
  }

  /**
   * @param images image name to the local stand-in of that image
   */
  public NodeAgent(KubernetesClient client, String nodeName, Map<String, String> capacity,
      Map<String, Image> images, Path workDir) {
    this.client = client;
    this.nodeName = nodeName;
    this.capacity = Map.copyOf(capacity);
    this.images = Map.copyOf(images);
    this.workDir = workDir;
  }

  /** Registers the Node (Ready, with its capacity) and starts watching the pods bound to it. */
  public NodeAgent start() {
    Map<String, Quantity> cap = new LinkedHashMap<>();
    capacity.forEach((k, v) -> cap.put(k, new Quantity(v)));
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName)
        .addToLabels("kubernetes.io/hostname", nodeName).addToLabels("kubernetes.io/os", "linux")
        .endMetadata().build()).create();
    String now = Instant.now().toString();
    client.nodes().withName(nodeName).editStatus(n -> new NodeBuilder(n).withNewStatus()
        .withCapacity(cap).withAllocatable(cap)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("test node agent is running pods as local processes")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
        .addNewAddress().withType("Hostname").withAddress(nodeName).endAddress()
        .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
        .withKubeletVersion("v1.34.12").withContainerRuntimeVersion("fedmllm-test-node-agent://1")
        .withKernelVersion("").withOsImage("test").withMachineID("").withSystemUUID("").withBootID("")
        .withKubeProxyVersion("").endNodeInfo()
        .endStatus().build());
    // The API server's TaintNodesByCondition admission taints a new Node not-ready; the node lifecycle controller
    // (not run here) would lift it once the Node reports Ready, which this Node does from the start.
    client.nodes().withName(nodeName).edit(n -> new NodeBuilder(n).editSpec()
        .withTaints(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints().stream()
            .filter(t -> !t.getKey().startsWith("node.kubernetes.io/not-ready")).toList())
        .endSpec().build());
    informer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        launcher.submit(() -> reconcile(pod));
      }

      @Override
      public void onUpdate(Pod oldPod, Pod pod) {
        launcher.submit(() -> reconcile(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        launcher.submit(() -> stop(pod.getMetadata().getUid(), false));
      }
    });
    configMaps = client.configMaps().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap cm) {}

      @Override
      public void onUpdate(ConfigMap old, ConfigMap cm) {
        launcher.submit(() -> refreshConfigMapVolumes(cm));
      }

      @Override
      public void onDelete(ConfigMap cm, boolean unknownFinalState) {}
    });
    return this;
  }

  /** Rewrites the files of every running pod's volume of {@code cm}, as the kubelet keeps configMap volumes current. */
  private void refreshConfigMapVolumes(ConfigMap cm) {
    for (Running r : running.values()) {
      Pod pod = r.pod;
      if (closed || r.stopping || !pod.getMetadata().getNamespace().equals(cm.getMetadata().getNamespace())) {
        continue;
      }
      for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
        if (v.getConfigMap() != null && v.getConfigMap().getName().equals(cm.getMetadata().getName())) {
          try {
            writeConfigMapFiles(v, cm, podDir(pod).resolve("volumes").resolve(v.getName()));
          } catch (IOException | RuntimeException e) {
            System.err.println("node agent: cannot refresh volume " + v.getName() + " of "
                + pod.getMetadata().getName() + ": " + e.getMessage());
          }
        }
      }
    }
  }

  /** Writes the ConfigMap's keys (or the volume's items) as files; each file is replaced atomically. */
  private static void writeConfigMapFiles(Volume v, ConfigMap cm, Path dir) throws IOException {
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    List<KeyToPath> items = v.getConfigMap().getItems();
    Map<Path, String> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((key, value) -> files.put(dir.resolve(key), value));
    } else {
      for (KeyToPath item : items) {
        String value = data.get(item.getKey());
        if (value == null) {
          throw new IllegalArgumentException("volume " + v.getName() + ": ConfigMap key " + item.getKey()
              + " not found");
        }
        files.put(dir.resolve(item.getPath()), value);
      }
    }
    for (Map.Entry<Path, String> file : files.entrySet()) {
      Files.createDirectories(file.getKey().getParent());
      Path tmp = file.getKey().resolveSibling("." + file.getKey().getFileName() + ".tmp");
      Files.writeString(tmp, file.getValue(), StandardCharsets.UTF_8);
      Files.move(tmp, file.getKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The host port a pod's declared container port was mapped to. */
  public Optional<Integer> hostPort(String namespace, String pod, String portName) {
    return ports.entrySet().stream()
        .filter(e -> e.getKey().equals(namespace + "/" + pod))
        .map(e -> e.getValue().get(portName)).filter(p -> p != null).findFirst();
  }

  /** Every running pod's mapped ports, by namespace/name. */
  public Map<String, Map<String, Integer>> hostPorts() {
    return Map.copyOf(ports);
  }

  /** SIGKILLs the process of a running pod, as an OOM kill or a crash would (the pod's restart policy applies). */
  public boolean kill(String namespace, String pod) {
    for (Running r : running.values()) {
      if (r.pod.getMetadata().getNamespace().equals(namespace) && r.pod.getMetadata().getName().equals(pod)
          && r.process != null && r.process.alive()) {
        r.process.kill();
        return true;
      }
    }
    return false;
  }

  /** Where a pod's volumes and log live: one directory per pod UID, so a recreated pod keeps its predecessor's log. */
  private Path podDir(Pod pod) {
    return workDir.resolve(pod.getMetadata().getNamespace())
        .resolve(pod.getMetadata().getName() + "-" + pod.getMetadata().getUid().substring(0, 8));
  }

  private void reconcile(Pod pod) {
    if (closed) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      stop(uid, true);
      confirmDeletion(pod);
      return;
    }
    if (running.containsKey(uid) || done.containsKey(uid)) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      done.put(uid, true);
      return;
    }
    Running r = new Running(pod);
    running.put(uid, r);
    try {
      launch(r);
    } catch (NotYetAvailable e) {
      // As the kubelet does: a missing ConfigMap or Secret keeps the pod waiting (FailedMount /
      // CreateContainerConfigError) and is retried, never fails it.
      running.remove(uid);
      updateStatus(pod, s -> s.editOrNewStatus().withPhase("Pending")
          .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
              .withImage(pod.getSpec().getContainers().get(0).getImage()).withImageID("").withRestartCount(0)
              .withReady(false).withNewState().withNewWaiting().withReason(e.reason).withMessage(e.getMessage())
              .endWaiting().endState().build())
          .endStatus());
      retries.schedule(() -> retry(pod), RETRY_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      running.remove(uid);
      done.put(uid, true);
      fail(pod, "AgentCannotRun", e.getMessage());
    }
  }

  /** A ConfigMap or Secret the pod needs does not exist (yet). */
  private static final class NotYetAvailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String reason;

    NotYetAvailable(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  private void retry(Pod pod) {
    if (closed) {
      return;
    }
    Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .get();
    if (current != null && current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      launcher.submit(() -> reconcile(current));
    }
  }

  private void launch(Running r) {
    Pod pod = r.pod;
    List<Container> containers = pod.getSpec().getContainers();
    if (containers.size() != 1) {
      throw new IllegalArgumentException("test node agent runs exactly one container per pod, pod has "
          + containers.size());
    }
    Container c = containers.get(0);
    Image image = images.get(c.getImage());
    if (image == null) {
      throw new IllegalArgumentException("image " + c.getImage() + " is not mapped to a local entry point (mapped: "
          + images.keySet() + ")");
    }
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      throw new IllegalArgumentException("container command override " + c.getCommand() + " is not supported");
    }
    String ns = pod.getMetadata().getNamespace();
    Path podDir = podDir(pod);
    Map<String, Path> mounts = mountVolumes(pod, c, podDir);
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
      hostPorts.put(portName(p), ControlPlane.freePort());
    }
    ports.put(ns + "/" + pod.getMetadata().getName(), hostPorts);
    run(r, c, image, mounts, hostPorts, podDir);
  }

  /** Starts (or restarts) the container's process: entry point + rewritten args, resolved env, in the pod's dir. */
  private void run(Running r, Container c, Image image, Map<String, Path> mounts,
      Map<String, Integer> hostPorts, Path podDir) {
    String ns = r.pod.getMetadata().getNamespace();
    Map<String, String> portRewrite = new HashMap<>();
    for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
      portRewrite.put(Integer.toString(p.getContainerPort()), Integer.toString(hostPorts.get(portName(p))));
    }
    List<String> command = new ArrayList<>(image.entrypoint());
    for (String arg : c.getArgs() == null ? List.<String>of() : c.getArgs()) {
      command.add(rewritePaths(portRewrite.getOrDefault(arg, arg), mounts));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOSTNAME", r.pod.getMetadata().getName());
    env.putAll(image.env());
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      env.put(e.getName(), rewritePaths(envValue(ns, e), mounts));
    }
    startProcess(r, command, env, podDir);
  }

  private static String portName(ContainerPort p) {
    return p.getName() != null ? p.getName() : Integer.toString(p.getContainerPort());
  }

  private void startProcess(Running r, List<String> command, Map<String, String> env, Path podDir) {
    Pod pod = r.pod;
    Path log = podDir.resolve("main.log");
    ManagedProcess p = ManagedProcess.startIsolated(pod.getMetadata().getName(), command, env, log, podDir);
    r.process = p;
    String startedAt = Instant.now().toString();
    updateStatus(pod, s -> s.editOrNewStatus()
        .withPhase("Running").withHostIP("127.0.0.1").withPodIP("127.0.0.1")
        .withStartTime(s.buildStatus() != null && s.buildStatus().getStartTime() != null
            ? s.buildStatus().getStartTime() : startedAt)
        .withConditions(conditions(pod, true))
        .withContainerStatuses(new ContainerStatusBuilder(containerStatus(pod, r))
            .withReady(true).withStarted(true).withNewState().withNewRunning().withStartedAt(startedAt)
            .endRunning().endState().build())
        .endStatus());
    p.onExit(code -> launcher.submit(() -> exited(r, code, startedAt)));
  }

  private void exited(Running r, int code, String startedAt) {
    Pod pod = r.pod;
    String uid = pod.getMetadata().getUid();
    if (r.stopping || closed) {
      return;
    }
    String policy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
    boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && code != 0);
    String reason = code == 0 ? "Completed" : code == 137 ? "OOMKilledOrKilled" : "Error";
    String message = code == 0 ? null : r.process.tail(5);
    ContainerStatus terminated = new ContainerStatusBuilder(containerStatus(pod, r))
        .withReady(false).withStarted(false)
        .withNewState().withNewTerminated().withExitCode(code).withReason(reason).withMessage(message)
        .withStartedAt(startedAt).withFinishedAt(Instant.now().toString()).endTerminated().endState()
        .build();
    if (restart) {
      r.restarts++;
      ContainerStatus waiting = new ContainerStatusBuilder(terminated)
          .withRestartCount(r.restarts)
          .withLastState(terminated.getState())
          .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
          .build();
      updateStatus(pod, s -> s.editOrNewStatus().withConditions(conditions(pod, false))
          .withContainerStatuses(waiting).endStatus());
      Sleep.millis(RESTART_DELAY_MS);
      if (r.stopping || closed) {
        return;
      }
      try {
        Container c = pod.getSpec().getContainers().get(0);
        Path podDir = podDir(pod);
        run(r, c, images.get(c.getImage()), mountPaths(pod, c, podDir),
            ports.getOrDefault(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), Map.of()),
            podDir);
      } catch (RuntimeException e) {
        running.remove(uid);
        done.put(uid, true);
        fail(pod, "AgentCannotRun", e.getMessage());
      }
      return;
    }
    running.remove(uid);
    done.put(uid, true);
    ports.remove(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    updateStatus(pod, s -> s.editOrNewStatus().withPhase(code == 0 ? "Succeeded" : "Failed")
        .withReason(code == 0 ? null : "Error").withMessage(code == 0 ? null : "container exited with code " + code)
        .withConditions(conditions(pod, false)).withContainerStatuses(terminated).endStatus());
  }

  private ContainerStatus containerStatus(Pod pod, Running r) {
    Container c = pod.getSpec().getContainers().get(0);
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
        .withImageID("local://" + c.getImage()).withContainerID("process://" + (r.process == null ? 0 : r.process.pid()))
        .withRestartCount(r.restarts).build();
  }

  private static List<PodCondition> conditions(Pod pod, boolean ready) {
    String now = Instant.now().toString();
    List<PodCondition> list = new ArrayList<>();
    list.add(condition("PodScheduled", true, now));
    list.add(condition("Initialized", true, now));
    list.add(condition("ContainersReady", ready, now));
    list.add(condition("Ready", ready, now));
    return list;
  }

  private static PodCondition condition(String type, boolean status, String now) {
    return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False")
        .withLastTransitionTime(now).build();
  }

  /** Creates each volume's local directory (configMap files written) and returns mountPath -> directory. */
  private Map<String, Path> mountVolumes(Pod pod, Container c, Path podDir) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    String ns = pod.getMetadata().getNamespace();
    try {
      TestFiles.deleteRecursively(podDir);
      Files.createDirectories(podDir);
      for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
        Path dir = podDir.resolve("volumes").resolve(v.getName());
        if (v.getEmptyDir() != null) {
          Files.createDirectories(dir);
        } else if (v.getConfigMap() != null) {
          Files.createDirectories(dir);
          ConfigMap cm = client.configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get();
          if (cm == null) {
            throw new NotYetAvailable("ContainerCreating", "MountVolume.SetUp failed for volume " + v.getName()
                + ": configmap \"" + v.getConfigMap().getName() + "\" not found");
          }
          writeConfigMapFiles(v, cm, dir);
        } else if (v.getHostPath() != null) {
          dir = Path.of(v.getHostPath().getPath());
          if ("Directory".equals(v.getHostPath().getType()) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("volume " + v.getName() + ": hostPath " + dir + " is not a directory");
          }
        } else {
          throw new IllegalArgumentException("volume " + v.getName() + ": only emptyDir, configMap and hostPath "
              + "volumes are supported by the test node agent");
        }
        dirs.put(v.getName(), dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("preparing volumes of " + ns + "/" + pod.getMetadata().getName(), e);
    }
    return byMountPath(c, dirs);
  }

  /** The same mapping for a restart: existing directories, no rewrite of emptyDirs. */
  private Map<String, Path> mountPaths(Pod pod, Container c, Path podDir) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
      dirs.put(v.getName(), v.getHostPath() != null ? Path.of(v.getHostPath().getPath())
          : podDir.resolve("volumes").resolve(v.getName()));
    }
    return byMountPath(c, dirs);
  }

  private static Map<String, Path> byMountPath(Container c, Map<String, Path> dirs) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    List<VolumeMount> vms = c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts();
    for (VolumeMount m : vms) {
      Path dir = dirs.get(m.getName());
      if (dir == null) {
        throw new IllegalArgumentException("volumeMount " + m.getName() + " names no volume of the pod");
      }
      mounts.put(m.getMountPath(), m.getSubPath() == null ? dir : dir.resolve(m.getSubPath()));
    }
    return mounts;
  }

  /** Rewrites every mount path that starts a path inside {@code value} (longest mount first). */
  static String rewritePaths(String value, Map<String, Path> mounts) {
    if (value == null) {
      return null;
    }
    List<String> paths = new ArrayList<>(mounts.keySet());
    paths.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder out = new StringBuilder();
    int i = 0;
    outer:
    while (i < value.length()) {
      boolean boundaryBefore = i == 0 || "=:, ".indexOf(value.charAt(i - 1)) >= 0;
      if (boundaryBefore) {
        for (String mp : paths) {
          if (value.startsWith(mp, i)) {
            int end = i + mp.length();
            boolean boundaryAfter = end == value.length() || "/:, ".indexOf(value.charAt(end)) >= 0;
            if (boundaryAfter) {
              out.append(mounts.get(mp).toAbsolutePath());
              i = end;
              continue outer;
            }
          }
        }
      }
      out.append(value.charAt(i));
      i++;
    }
    return out.toString();
  }

  private String envValue(String namespace, EnvVar e) {
    if (e.getValueFrom() == null) {
      return e.getValue() == null ? "" : e.getValue();
    }
    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
    if (ref == null) {
      throw new IllegalArgumentException("env " + e.getName() + ": only value and secretKeyRef are supported");
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
    if (encoded == null) {
      if (Boolean.TRUE.equals(ref.getOptional())) {
        return "";
      }
      throw new NotYetAvailable("CreateContainerConfigError", "env " + e.getName() + ": secret \"" + ref.getName()
          + (secret == null ? "\" not found" : "\" has no key " + ref.getKey()));
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private void fail(Pod pod, String reason, String message) {
    updateStatus(pod, s -> s.editOrNewStatus().withPhase("Failed").withReason(reason).withMessage(message)
        .withConditions(conditions(pod, false)).endStatus());
  }

  private void updateStatus(Pod pod, UnaryOperator<PodBuilder> edit) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Pod current = client.pods().inNamespace(ns).withName(name).get();
        if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
          return;
        }
        client.pods().resource(edit.apply(new PodBuilder(current)).build()).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          if (e.getCode() == 404) {
            return;
          }
          throw e;
        }
      }
    }
  }

  private void stop(String uid, boolean expected) {
    Running r = running.remove(uid);
    if (r == null) {
      return;
    }
    r.stopping = true;
    if (r.process != null) {
      r.process.kill();
    }
    ports.remove(r.pod.getMetadata().getNamespace() + "/" + r.pod.getMetadata().getName());
    done.put(uid, true);
  }

  /**
   * Removes a pod whose deletion has begun and whose process is stopped, as the kubelet does (grace period 0), with a
   * UID precondition: an event about an old pod must never delete a new pod of the same name.
   */
  private void confirmDeletion(Pod pod) {
    String uri = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
        + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
    Map<String, Object> options = Map.of("kind", "DeleteOptions", "apiVersion", "v1", "gracePeriodSeconds", 0,
        "preconditions", Map.of("uid", pod.getMetadata().getUid()));
    try {
      client.raw(uri, "DELETE", options);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) { // gone already, or a newer pod holds the name
        throw e;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
    if (configMaps != null) {
      configMaps.close();
    }
    for (String uid : List.copyOf(running.keySet())) {
      stop(uid, true);
    }
    retries.shutdownNow();
    launcher.shutdownNow();
    try {
      launcher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
