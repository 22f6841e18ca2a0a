package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.storage.S3ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, parts 2 and 5: the CPU example, applied with kubectl exactly as the README says (only the storage address
 * and keys point at the test's S3Proxy), runs to Succeeded on a real API server with the real scheduler binding its
 * pods; the status names the final adapter, which is in storage with the recorded SHA-256; Prometheus scrapes the
 * operator and the aggregator, and every PromQL expression of the chart's Grafana dashboard returns a series.
 */
class ExampleFederationIT {

  private static final String NS = "fedmllm-demo";
  private static final String NAME = "hateful-cpu";
  private static FederationCluster cluster;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() {
    cluster = FederationCluster.start("e2e-example", 0);
    prometheus = PrometheusServer.start(cluster.plane().dir().resolve("prometheus"),
        "127.0.0.1:" + cluster.operator().httpPort());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void cpuExampleRunsToSucceededAndDashboardQueriesReturnSeries() throws Exception {
    cluster.kubectlApply(cluster.example("k8s-namespace-and-storage.yaml"));
    String applied = cluster.kubectlApply(cluster.example("k8s-cpu-federation.yaml"));
    assertTrue(applied.contains("federation.fedmllm.io/" + NAME + " serverside-applied"), applied);

    double[] scrapedAt = {0};
    GenericKubernetesResource done = cluster.awaitFederation(NS, NAME, f -> {
      boolean aggregatorScraped = syncPodTargets();
      Object completed = FederationCluster.path(f, "status", "completedRounds");
      if (aggregatorScraped && completed instanceof Number n && n.intValue() >= 2) {
        scrapedAt[0] = System.currentTimeMillis() / 1000.0; // a moment the aggregator is up with rounds behind it
      }
      return "Succeeded".equals(FederationCluster.phase(f));
    }, Duration.ofMinutes(15), "Succeeded");

    // Status: rounds, metric history, final adapter.
    assertEquals(6, ((Number) FederationCluster.path(done, "status", "completedRounds")).intValue());
    assertEquals(6, ((Number) FederationCluster.path(done, "status", "totalRounds")).intValue());
    List<?> history = (List<?>) FederationCluster.path(done, "status", "history");
    assertNotNull(history, "status.history");
    assertEquals(6, history.size(), "one history entry per round: " + history);
    String uri = (String) FederationCluster.path(done, "status", "latestAdapter", "uri");
    String sha = (String) FederationCluster.path(done, "status", "latestAdapter", "sha256");
    assertEquals(6, ((Number) FederationCluster.path(done, "status", "latestAdapter", "round")).intValue(),
        "the adapter of the last round (1-based)");
    assertTrue(uri.startsWith("s3://" + FederationCluster.BUCKET + "/"), uri);
    try (S3ObjectStore s3 = cluster.storage()) {
      byte[] adapter = s3.get(uri.substring(("s3://" + FederationCluster.BUCKET + "/").length()))
          .orElseThrow(() -> new AssertionError("final adapter not in storage: " + uri));
      assertEquals(sha, sha256(adapter), "stored adapter bytes match status.latestAdapter.sha256");
    }
    assertTrue(conditionTrue(done, "Ready"), "Ready condition: " + FederationCluster.path(done, "status", "conditions"));

    // A finished federation frees its resources: no pods left (garbage collected or deleted by the operator).
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cluster.plane().client().pods().inNamespace(NS).list().getItems().isEmpty()
        && System.nanoTime() < deadline) {
      Sleep.millis(500);
    }
    assertEquals("", podsLeft(), "pods left after Succeeded");

    // Prometheus scraped operator and aggregator; every dashboard query returns at least one series.
    assertTrue(scrapedAt[0] > 0, "the aggregator was never scraped with 2+ rounds committed; targets: "
        + prometheus.targetHealth());
    List<String> empty = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String expr : dashboardExpressions()) {
      int n = prometheus.seriesCount(expr, scrapedAt[0]);
      counts.put(expr, n);
      if (n == 0) {
        empty.add(expr);
      }
    }
    assertFalse(counts.isEmpty(), "the dashboard has PromQL expressions");
    assertTrue(empty.isEmpty(), "dashboard queries without series at t=" + scrapedAt[0] + ": " + empty
        + "\ntargets: " + prometheus.targetHealth());
  }

  /** Points Prometheus at the running federation pods; true when an aggregator target is among them. */
  private static boolean syncPodTargets() {
    List<PrometheusServer.Target> targets = new ArrayList<>();
    boolean aggregator = false;
    for (Pod p : cluster.plane().client().pods().inNamespace(NS)
        .withLabel("app.kubernetes.io/managed-by", "fedmllm-operator")
        .withLabel("app.kubernetes.io/part-of", "fedmllm").list().getItems()) {
      var port = cluster.agent().hostPort(NS, p.getMetadata().getName(), "metrics");
      if (port.isEmpty() || p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Map<String, String> podLabels = p.getMetadata().getLabels();
      labels.put("namespace", NS);
      labels.put("pod", p.getMetadata().getName());
      labels.put("federation", podLabels.getOrDefault("fedmllm.io/federation", ""));
      labels.put("component", podLabels.getOrDefault("app.kubernetes.io/component", ""));
      if (podLabels.containsKey("fedmllm.io/client")) {
        labels.put("client", podLabels.get("fedmllm.io/client"));
      }
      aggregator |= "aggregator".equals(labels.get("component"));
      targets.add(new PrometheusServer.Target("127.0.0.1:" + port.get(), labels));
    }
    prometheus.setPodTargets(targets);
    return aggregator;
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(
        TestPaths.repo().resolve("charts/fedmllm-operator/files/dashboards/fedmllm.json")));
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()
        .replace("$namespace", ".*").replace("$federation", ".*")));
    return exprs;
  }

  private static boolean conditionTrue(GenericKubernetesResource f, String type) {
    Object conditions = FederationCluster.path(f, "status", "conditions");
    if (!(conditions instanceof List<?> list)) {
      return false;
    }
    return list.stream().anyMatch(c -> c instanceof Map<?, ?> m && type.equals(m.get("type"))
        && "True".equals(m.get("status")));
  }

  private static String podsLeft() {
    return String.join(",", cluster.plane().client().pods().inNamespace(NS).list().getItems().stream()
        .map(p -> p.getMetadata().getName()).toList());
  }

  private static String sha256(byte[] data) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
