package io.fedmllm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus from the Debian package (unpacked by {@code scripts/prometheus.sh}, never installed) on loopback. It
 * scrapes the operator as the chart's ServiceMonitor does ({@code /q/metrics}, honorLabels) and the federation pods
 * as the chart's PodMonitor does: targets come from a file the test rewrites, labelled the way the PodMonitor's
 * relabelings and the Prometheus Operator's defaults label them (namespace, pod, federation, component, client).
 */
public final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ManagedProcess process;
  private final int port;
  private final Path targets;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One scrape target of the PodMonitor: address and its labels. */
  public record Target(String address, Map<String, String> labels) {}

  private PrometheusServer(ManagedProcess process, int port, Path targets) {
    this.process = process;
    this.port = port;
    this.targets = targets;
  }

  public static PrometheusServer start(Path dir, String operatorAddress) {
    Path binary = binary(dir);
    int port = ControlPlane.freePort();
    Path targets = dir.resolve("pod-targets.json");
    try {
      Files.createDirectories(dir);
      Files.writeString(targets, "[]");
      Files.writeString(dir.resolve("prometheus.yml"), """
          global:
            scrape_interval: 2s
            scrape_timeout: 2s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: fedmllm-operator        # the chart's ServiceMonitor
              metrics_path: /q/metrics
              honor_labels: true
              static_configs:
                - targets: ['%s']
            - job_name: fedmllm-federations     # the chart's PodMonitor
              metrics_path: /metrics
              file_sd_configs:
                - files: ['%s']
                  refresh_interval: 1s
          """.formatted(operatorAddress, targets));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess p = ManagedProcess.start("prometheus", List.of(binary.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.retention.time=1h"), Map.of(), dir.resolve("prometheus.log"));
    PrometheusServer server = new PrometheusServer(p, port, targets);
    server.awaitReady();
    return server;
  }

  private static Path binary(Path dir) {
    Path script = TestPaths.repo().resolve("scripts/prometheus.sh");
    Path log = dir.resolve("prometheus-install.log");
    try {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder("bash", script.toString()).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " failed; see " + log + ":\n" + Files.readString(log));
      }
      for (String line : out.split("\n")) {
        if (line.startsWith("PROMETHEUS=")) {
          return Path.of(line.substring("PROMETHEUS=".length()).trim());
        }
      }
      throw new IllegalStateException(script + " printed no PROMETHEUS= line:\n" + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException("prometheus exited:\n" + process.tail(20));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Sleep.millis(300);
    }
    throw new IllegalStateException("prometheus not ready within 60 s:\n" + process.tail(20));
  }

  /** Replaces the PodMonitor's targets (atomically: Prometheus watches the file). */
  public void setPodTargets(List<Target> list) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Target t : list) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("targets", List.of(t.address()));
      g.put("labels", t.labels());
      groups.add(g);
    }
    try {
      Path tmp = targets.resolveSibling(targets.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(groups));
      Files.move(tmp, targets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Number of series an instant query returns at {@code epochSeconds}; fails on a query error. */
  public int seriesCount(String promql, double epochSeconds) {
    try {
      HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
          + "&time=" + epochSeconds);
      JsonNode body = JSON.readTree(r.body());
      if (!"success".equals(body.path("status").asText())) {
        throw new IllegalStateException("query failed: " + promql + " -> " + r.body());
      }
      return body.path("data").path("result").size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Health of every active target, e.g. "fedmllm-operator 127.0.0.1:1234 up". */
  public List<String> targetHealth() {
    try {
      JsonNode body = JSON.readTree(get("/api/v1/targets").body());
      List<String> out = new ArrayList<>();
      for (JsonNode t : body.path("data").path("activeTargets")) {
        out.add(t.path("labels").path("job").asText() + " " + t.path("labels").path("instance").asText() + " "
            + t.path("health").asText() + " " + t.path("lastError").asText());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
