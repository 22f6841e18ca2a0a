package io.fedmllm.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code operator/target/quarkus-app}) in its own JVM, as the chart's Deployment runs it: the
 * prod profile, settings through the same environment variables the chart sets, the API server from a kubeconfig.
 */
public final class OperatorProcess implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(120);
  /**
   * The memory the JVM sizes itself for: in the pod that is the container's limit (the chart's
   * resources.limits.memory, 512Mi), so the local process is told the same instead of seeing the whole machine.
   */
  static final String CONTAINER_MEMORY = "512m";
  /**
   * Heap share of it. The chart sets no heap option, so in the pod it is whatever the image's entrypoint applies
   * (the UBI OpenJDK images' run-java.sh sets -XX:MaxRAMPercentage from JAVA_MAX_MEM_RATIO; a plain java -jar would
   * use the JVM's 25%); 50 is an assumption, not read from the image.
   */
  static final int HEAP_PERCENT = 50;
  private final ManagedProcess process;
  private final int httpPort;

  private OperatorProcess(ManagedProcess process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  /**
   * Starts the operator and waits until /q/health/ready answers 200 (bounded).
   *
   * @param kubeconfig whom the operator acts as (the admin's or a ServiceAccount token's)
   * @param env extra settings, e.g. FEDMLLM_OPERATOR_STORAGE_RECHECK or QUARKUS_OPERATOR_SDK_NAMESPACES
   */
  public static OperatorProcess start(String name, Path kubeconfig, Map<String, String> env, Path logDir) {
    Path jar = TestPaths.operatorApp().resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("packaged operator missing: " + jar + " (build the operator module first)");
    }
    int port = ControlPlane.freePort();
    Map<String, String> all = new HashMap<>();
    all.put("KUBECONFIG", kubeconfig.toString());
    all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    all.put("KUBERNETES_NAMESPACE", "default");
    all.putAll(env);
    ManagedProcess p = ManagedProcess.start(name, List.of(javaBinary(), "-XX:MaxRAM=" + CONTAINER_MEMORY,
        "-XX:MaxRAMPercentage=" + HEAP_PERCENT, "-jar", jar.toString()), all,
        logDir.resolve(name + ".log"));
    OperatorProcess op = new OperatorProcess(p, port);
    try {
      op.awaitReady();
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return op;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException("operator exited during start-up:\n" + process.tail(30));
      }
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Sleep.millis(500);
    }
    throw new IllegalStateException("operator not ready within " + READY + " (" + last + "):\n" + process.tail(30));
  }

  /** http://127.0.0.1:PORT */
  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The operator's Prometheus text at /q/metrics. */
  public String metrics() {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/metrics")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read operator metrics: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean alive() {
    return process.alive();
  }

  /** The operator JVM's process id (its /proc entry is what RSS is read from). */
  public long pid() {
    return process.pid();
  }

  public String tail(int lines) {
    return process.tail(lines);
  }

  /** SIGKILL: a crashed operator pod. */
  public void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.close();
  }
}
