package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.storage.EmbeddedObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #17 goal 4, a command rather than a test: the packaged operator (its own JVM, the chart's defaults) on a
 * real kube-apiserver + etcd, one Federation and 1,000 FederationClients created at once. It only runs when asked for
 * (see cluster-tests/README.md for the command) and prints, with each goal:
 *
 * <ul>
 *   <li>the time from the last client's create returning until all 1,000 trainer pods exist (a watch in this JVM);
 *   <li>the operator process's RSS (its /proc entry) sampled every second in a steady minute after that;
 *   <li>status writes (patch/update of federations/status and federationclients/status) per minute, during the burst
 *       and in the steady minute;
 *   <li>the operator's API requests, counted on the API server's side from its audit log (every request but this
 *       benchmark's own, which carry their own user agent, and the API server's), by verb and resource, per
 *       reconcile (JOSDK's reconcile counters at /q/metrics).
 * </ul>
 *
 * No node and no scheduler: the pods are never scheduled or run (creation is what is measured), so no node agent
 * starts 1,000 trainer processes, and nothing but the operator and this benchmark talks to the API server.
 */
@EnabledIfSystemProperty(named = "fedmllm.benchmark", matches = "true")
class OperatorScaleApiServerBenchmark {

  private static final int CLIENTS = Integer.getInteger("fedmllm.benchmark.clients", 1000);
  private static final String NS = "scale";
  private static final String USER_AGENT = "fedmllm-scale-benchmark";
  private static final Duration STEADY = Duration.ofSeconds(60);
  private static final double GOAL_PODS_SECONDS = 10;
  private static final double GOAL_RSS_MIB = 300;

  @Test
  void thousandClientsOfOneFederation() throws Exception {
    try (ControlPlane plane = ControlPlane.apiServerWithAuditLog("bench-scale");
        EmbeddedObjectStore store = EmbeddedObjectStore.start(plane.dir().resolve("s3"),
            FederationCluster.BUCKET, 0);
        KubernetesClient client = benchmarkClient(plane.kubeconfig())) {
      FederationCluster.applyCrds(plane);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
      Map<String, String> keys = store.childEnvironment();
      client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("fedmllm-storage")
          .endMetadata().addToStringData("AWS_ACCESS_KEY_ID", keys.get("AWS_ACCESS_KEY_ID"))
          .addToStringData("AWS_SECRET_ACCESS_KEY", keys.get("AWS_SECRET_ACCESS_KEY")).build()).create();

      // -Dfedmllm.benchmark.nmt=true: the operator JVM tracks its native memory, printed at the end (diagnosis)
      Map<String, String> env = Boolean.getBoolean("fedmllm.benchmark.nmt")
          ? Map.of("JAVA_TOOL_OPTIONS", "-XX:NativeMemoryTracking=summary") : Map.of();
      try (OperatorProcess operator = OperatorProcess.start("operator", plane.kubeconfig(), env, plane.dir())) {
        AtomicLong allTrainersAt = new AtomicLong();
        java.util.Set<String> trainers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (SharedIndexInformer<Pod> pods = client.pods().inNamespace(NS).inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            if (pod.getMetadata().getName().endsWith("-trainer") && trainers.add(pod.getMetadata().getName())
                && trainers.size() == CLIENTS) {
              allTrainersAt.set(System.nanoTime());
            }
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {}

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {}
        })) {
          client.genericKubernetesResources(FederationCluster.FEDERATIONS).inNamespace(NS)
              .resource(manifest("scale-federation.yaml", Map.of("STORAGE_ENDPOINT",
                  store.settings().endpoint().toString()))).create();
          await(() -> pods.getStore().getByKey(NS + "/big-aggregator") != null, Duration.ofMinutes(1),
              "the aggregator pod", operator);
          Sleep.millis(2000); // the Federation's first reconciles are done before the clients come

          Instant burstFrom = Instant.now();
          String metricsBefore = operator.metrics();
          double before = reconciles(metricsBefore);
          long firstCreate = System.nanoTime();
          createClients(client);
          long lastCreated = System.nanoTime();
          await(() -> allTrainersAt.get() != 0, Duration.ofMinutes(5), "all " + CLIENTS + " trainer pods",
              operator);
          double podsAfterLast = Math.max(0, allTrainersAt.get() - lastCreated) / 1e9;
          double created = (lastCreated - firstCreate) / 1e9;
          await(() -> configuredClients(client) == CLIENTS, Duration.ofMinutes(5),
              "the Federation's ConfigMap listing all clients", operator);
          await(() -> statusCountsAllClients(client), Duration.ofMinutes(5),
              "the Federation's ClientsReady condition counting all clients", operator);
          Instant burstTo = Instant.now();
          String metricsAfter = operator.metrics();
          double burstReconciles = reconciles(metricsAfter) - before;
          double clientReconciles = reconciles(metricsAfter, "federationclient")
              - reconciles(metricsBefore, "federationclient");

          Sleep.millis(5000); // the last events of the burst are handled
          Instant steadyFrom = Instant.now();
          double steadyBefore = reconciles(operator.metrics());
          List<Long> rss = new ArrayList<>();
          long steadyEnd = System.nanoTime() + STEADY.toNanos();
          while (System.nanoTime() < steadyEnd) {
            rss.add(rssKib(operator.pid()));
            Sleep.millis(1000);
          }
          Instant steadyTo = Instant.now();
          double steadyReconciles = reconciles(operator.metrics()) - steadyBefore;
          assertEquals(CLIENTS, trainers.size());
          Sleep.millis(2000); // requests of the window are complete and logged

          List<AuditLog.Request> all = AuditLog.read(plane.auditLog());
          List<AuditLog.Request> burst = AuditLog.between(all, burstFrom, burstTo,
              OperatorScaleApiServerBenchmark::byOperator);
          List<AuditLog.Request> steady = AuditLog.between(all, steadyFrom, steadyTo,
              OperatorScaleApiServerBenchmark::byOperator);
          double burstMinutes = Duration.between(burstFrom, burstTo).toMillis() / 60_000.0;
          double steadyMinutes = Duration.between(steadyFrom, steadyTo).toMillis() / 60_000.0;
          long rssMax = rss.stream().mapToLong(Long::longValue).max().orElse(0);
          long rssLast = rss.isEmpty() ? 0 : rss.get(rss.size() - 1);

          StringBuilder out = new StringBuilder();
          out.append(String.format(Locale.ROOT, "%n[benchmark] operator on a real API server: 1 Federation, %d "
              + "FederationClients created in %.2f s (%s); pods are created, never scheduled or run%n", CLIENTS,
              created, "8 threads"));
          out.append(String.format(Locale.ROOT, "[benchmark] %-48s goal <= %5.1f s   measured %6.2f s  %s%n",
              "last client created -> all trainer pods exist", GOAL_PODS_SECONDS, podsAfterLast,
              podsAfterLast <= GOAL_PODS_SECONDS ? "met" : "MISSED"));
          out.append(String.format(Locale.ROOT, "[benchmark] %-48s goal <= %5.0f MiB measured %6.0f MiB max, "
              + "%.0f MiB last  %s%n", "operator RSS, steady minute", GOAL_RSS_MIB, rssMax / 1024.0,
              rssLast / 1024.0, rssMax / 1024.0 <= GOAL_RSS_MIB ? "met" : "MISSED"));
          out.append(String.format(Locale.ROOT, "[benchmark] %-48s burst %.0f/min (%d in %.1f s), steady %.0f/min "
              + "(%d in %.0f s)%n", "status writes", statusWrites(burst) / burstMinutes, statusWrites(burst),
              burstMinutes * 60, statusWrites(steady) / steadyMinutes, statusWrites(steady), steadyMinutes * 60));
          out.append(String.format(Locale.ROOT, "[benchmark] %-48s burst %d requests / %.0f reconciles = %.2f; "
              + "steady %d / %.0f = %.2f%n", "operator API requests (no watches) per reconcile",
              nonWatch(burst), burstReconciles, nonWatch(burst) / Math.max(1, burstReconciles), nonWatch(steady),
              steadyReconciles, nonWatch(steady) / Math.max(1, steadyReconciles)));
          out.append(String.format(Locale.ROOT, "[benchmark] %-48s burst %.0f reconciles / %d clients = %.2f "
              + "(federationclient %.0f = %.2f per client, federation %.0f)%n", "reconciles per client",
              burstReconciles, CLIENTS, burstReconciles / CLIENTS, clientReconciles, clientReconciles / CLIENTS,
              burstReconciles - clientReconciles));
          out.append("[benchmark] operator requests in the burst by verb and resource: ")
              .append(AuditLog.byKey(burst)).append('\n');
          out.append("[benchmark] operator requests in the steady minute: ").append(AuditLog.byKey(steady))
              .append('\n');
          out.append("[benchmark] user agents counted as the operator: ")
              .append(burst.stream().map(AuditLog.Request::userAgent).distinct().toList()).append('\n');
          String heapBefore = jcmd(operator.pid(), "GC.heap_info");
          jcmd(operator.pid(), "GC.run");
          out.append("[benchmark] operator JVM after the steady minute (threads ").append(procStatus(operator.pid(),
              "Threads")).append("; jcmd GC.heap_info):\n").append(heapBefore)
              .append("[benchmark] its live heap (jcmd GC.run, then GC.heap_info):\n")
              .append(jcmd(operator.pid(), "GC.heap_info"));
          if (Boolean.getBoolean("fedmllm.benchmark.nmt")) {
            out.append("[benchmark] its native memory (jcmd VM.native_memory summary):\n")
                .append(jcmd(operator.pid(), "VM.native_memory summary"));
          }
          System.out.println(out);
        }
      }
    }
  }

  private static KubernetesClient benchmarkClient(Path kubeconfig) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    config.setUserAgent(USER_AGENT);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Creates the clients from 8 threads, as kubectl apply of a directory or a GitOps sync delivers them. */
  private static void createClients(KubernetesClient client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          try {
            client.genericKubernetesResources(FederationCluster.FEDERATION_CLIENTS).inNamespace(NS)
                .resource(manifest("scale-client.yaml", Map.of("NAME", String.format("c%04d", index),
                    "INDEX", Integer.toString(index)))).create();
          } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            // the client's retry of a POST that timed out on a loaded machine after the API server created it
            if (e.getCode() != 409) {
              throw e;
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static GenericKubernetesResource manifest(String file, Map<String, String> values) {
    String yaml;
    try {
      yaml = Files.readString(TestPaths.repo().resolve("cluster-tests/src/test/resources/bench/" + file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    yaml = yaml.replace("NAMESPACE", NS).replace("CLIENTS", Integer.toString(CLIENTS));
    for (Map.Entry<String, String> e : values.entrySet()) {
      yaml = yaml.replace(e.getKey(), e.getValue());
    }
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  /** Requests of neither this benchmark nor the API server itself. */
  private static boolean byOperator(AuditLog.Request r) {
    return !r.userAgent().equals(USER_AGENT) && !r.userAgent().startsWith("kube-apiserver");
  }

  private static long statusWrites(List<AuditLog.Request> requests) {
    return requests.stream().filter(AuditLog.Request::statusWrite).count();
  }

  private static long nonWatch(List<AuditLog.Request> requests) {
    return requests.stream().filter(r -> !"watch".equals(r.verb())).count();
  }

  private static int configuredClients(KubernetesClient client) {
    var config = client.configMaps().inNamespace(NS).withName("big-config").get();
    if (config == null) {
      return 0;
    }
    try {
      return ManifestReader.ofRunningFederation().read(config.getData().get("federation.yaml"), "big-config")
          .clients().size();
    } catch (io.fedmllm.api.manifest.ManifestException e) {
      throw new AssertionError("the operator's ConfigMap big-config is not a manifest: " + e.getMessage(), e);
    }
  }

  /** The ClientsReady condition's message ("N of M trainers running ...") names all clients as M. */
  private static boolean statusCountsAllClients(KubernetesClient client) {
    var federation = client.genericKubernetesResources(FederationCluster.FEDERATIONS).inNamespace(NS)
        .withName("big").get();
    Object conditions = federation == null ? null : FederationCluster.path(federation, "status", "conditions");
    return conditions instanceof List<?> list && list.stream().anyMatch(c -> c instanceof Map<?, ?> m
        && "ClientsReady".equals(m.get("type")) && String.valueOf(m.get("message"))
        .contains(" of " + CLIENTS + " trainers"));
  }

  /** Reconciles of both controllers so far (JOSDK's counters at /q/metrics). */
  static double reconciles(String metrics) {
    return reconciles(metrics, null);
  }

  /** Reconciles of one controller ({@code controller_name}) so far, or of all when {@code controller} is null. */
  static double reconciles(String metrics, String controller) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if ((line.startsWith("reconciliations_success_total{") || line.startsWith("reconciliations_failure_total{"))
          && (controller == null || line.contains("controller_name=\"" + controller + "\""))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static String procStatus(long pid, String key) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(key + ":"))
          .map(l -> l.substring(key.length() + 1).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output of {@code jcmd PID COMMAND} (the test JVM's own JDK), bounded. */
  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "(jcmd timed out)";
      }
      return text;
    } catch (IOException e) {
      return "(jcmd unavailable: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator's RSS from /proc/" + pid + "/status", e);
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration bound, String what,
      OperatorProcess operator) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (!operator.alive()) {
        throw new AssertionError("operator died while waiting for " + what + ":\n" + operator.tail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + bound + "\noperator log tail:\n" + operator.tail(20));
      }
      Sleep.millis(100);
    }
  }
}
