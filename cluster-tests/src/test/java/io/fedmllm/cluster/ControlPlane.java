package io.fedmllm.cluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real control plane on loopback: kube-apiserver + etcd through kube-api-test (offline mode, binaries from
 * {@code scripts/k8s-binaries.sh}), optionally kube-scheduler and kube-controller-manager (garbage collector and
 * namespace controllers only) as child processes. Each instance has its own kube-api-test directory (certificates,
 * kubeconfig) under the build's cluster-logs, so concurrent test JVMs do not share certificates.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Duration COMPONENT_READY = Duration.ofSeconds(90);
  private static final String AUDIT_POLICY = "audit-policy.yaml";
  private static final String AUDIT_LOG = "audit.log";

  private final KubeAPIServer apiServer;
  private final Path dir;
  private final Path kubeconfig;
  private final List<ManagedProcess> components = new ArrayList<>();
  private final KubernetesClient client;

  private ControlPlane(KubeAPIServer apiServer, Path dir, Path kubeconfig) {
    this.apiServer = apiServer;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
  }

  /** API server and etcd only (enough for schema and admission tests). */
  public static ControlPlane apiServerOnly(String name) {
    return start(name, false, false);
  }

  /**
   * API server and etcd with an audit log of every request at level Metadata (who, verb, resource, subresource,
   * when; one JSON line per request once its response is complete) in {@link #auditLog()}: what a benchmark counts
   * requests by.
   */
  public static ControlPlane apiServerWithAuditLog(String name) {
    return start(name, false, true);
  }

  /** API server, etcd, scheduler and controller-manager: pods get bound and garbage is collected. */
  public static ControlPlane withSchedulerAndControllers(String name) {
    return start(name, true, false);
  }

  private static ControlPlane start(String name, boolean components, boolean audit) {
    ClusterBinaries binaries = ClusterBinaries.ensure();
    Path dir = TestPaths.logs().resolve(name).toAbsolutePath();
    Path testDir = dir.resolve("kubeapitest");
    try {
      TestFiles.deleteRecursively(dir); // a fresh cluster: no etcd data, storage or logs of an earlier run
      Files.createDirectories(testDir);
      // kube-api-test looks for <testDir>/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
      Files.createSymbolicLink(testDir.resolve("k8s"), binaries.path("KUBE_API_TEST_BINARIES").getParent());
      if (audit) {
        Files.writeString(dir.resolve(AUDIT_POLICY), """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived, ResponseStarted]
            rules:
            - level: Metadata
            """);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig();
    if (audit) {
      config.withApiServerFlag("--audit-policy-file", dir.resolve(AUDIT_POLICY).toString())
          .withApiServerFlag("--audit-log-path", dir.resolve(AUDIT_LOG).toString());
    }
    KubeAPIServer api = new KubeAPIServer(config
        .withTestDir(testDir.toString())
        .withOfflineMode(true) // never download: the binaries are ours
        .withApiServerVersion(binaries.kubernetesVersion())
        .withUpdateKubeConfig(false)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withStartupTimeout(180_000)
        .withWaitForEtcdHealthCheckOnStartup(true)
        .build());
    api.start();
    Path kubeconfig = dir.resolve("kubeconfig");
    try {
      Files.writeString(kubeconfig, api.getKubeConfigYaml());
    } catch (IOException e) {
      api.stop();
      throw new UncheckedIOException(e);
    }
    ControlPlane plane = new ControlPlane(api, dir, kubeconfig);
    if (components) {
      try {
        plane.startScheduler(binaries.path("KUBE_SCHEDULER"));
        plane.startControllerManager(binaries.path("KUBE_CONTROLLER_MANAGER"));
      } catch (RuntimeException e) {
        plane.close();
        throw e;
      }
    }
    return plane;
  }

  private void startScheduler(Path binary) {
    startComponent("kube-scheduler", binary, List.of());
  }

  private void startControllerManager(Path binary) {
    startComponent("kube-controller-manager", binary,
        List.of("--controllers", "garbage-collector-controller,namespace-controller"));
  }

  /** A control-plane component on loopback with the admin kubeconfig, no leader election, healthy within a bound. */
  private void startComponent(String name, Path binary, List<String> extraFlags) {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--kubeconfig", kubeconfig.toString(),
        "--authentication-kubeconfig", kubeconfig.toString(),
        "--authorization-kubeconfig", kubeconfig.toString(),
        "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(port),
        "--cert-dir", dir.resolve(name + "-certs").toString(),
        "--leader-elect=false"));
    command.addAll(extraFlags);
    ManagedProcess p = ManagedProcess.start(name, command, Map.of(), dir.resolve(name + ".log"));
    components.add(p);
    awaitHealthy(p, port);
  }

  /** Polls the component's /healthz (self-signed serving cert) until ok, the process dies or the bound passes. */
  private static void awaitHealthy(ManagedProcess p, int port) {
    long deadline = System.nanoTime() + COMPONENT_READY.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!p.alive()) {
        throw new IllegalStateException(p.name() + " exited during start-up:\n" + p.tail(20));
      }
      try {
        javax.net.ssl.HttpsURLConnection c = (javax.net.ssl.HttpsURLConnection)
            URI.create("https://127.0.0.1:" + port + "/healthz").toURL().openConnection();
        c.setSSLSocketFactory(trustAll().getSocketFactory());
        c.setHostnameVerifier((host, session) -> true); // the component's own self-signed loopback certificate
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        if (code == 200) {
          return;
        }
        last = "HTTP " + code;
      } catch (IOException e) {
        last = e.toString();
      }
      Sleep.millis(300);
    }
    throw new IllegalStateException(p.name() + " not healthy within " + COMPONENT_READY + " (" + last + "):\n"
        + p.tail(20));
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path dir() {
    return dir;
  }

  /** The audit log of {@link #apiServerWithAuditLog} (JSON lines); absent for the other control planes. */
  public Path auditLog() {
    return dir.resolve(AUDIT_LOG);
  }

  /** The API server URL (https://127.0.0.1:PORT). */
  public String server() {
    return client.getConfiguration().getMasterUrl();
  }

  /** A kubeconfig that authenticates with a bearer token (a ServiceAccount's) against this API server. */
  public Path tokenKubeconfig(String name, String token) {
    Config admin = client.getConfiguration();
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: test
          context: {cluster: test, user: %s}
        current-context: test
        """.formatted(server(), caData(admin), name, token, name);
    Path file = dir.resolve("kubeconfig-" + name);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The API server's CA as base64 PEM (kube-api-test's kubeconfig names it by file). */
  private static String caData(Config config) {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    try {
      return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API server CA " + config.getCaCertFile(), e);
    }
  }

  @Override
  public void close() {
    client.close();
    for (ManagedProcess p : components) {
      p.close();
    }
    apiServer.stop();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
