package io.fedmllm.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exporter serves the federation metrics under Prometheus-conventional names. */
class MetricsServerTest {

  @Test
  void scrapeShowsConventionalNamesAndValues() throws Exception {
    FederationMetrics metrics = new FederationMetrics();
    metrics.round(3);
    metrics.updateReceived();
    metrics.updateRejected("NAN_OR_INF");
    metrics.aggregated(0.25);
    metrics.roundCompleted(4.0);
    metrics.bytesWritten(1024);
    metrics.trained(0.5, 120);
    metrics.trainingMemory(3L << 30, "device");
    try (MetricsServer server = MetricsServer.start(metrics, 0)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      for (String line : new String[] {
          "fedmllm_current_round 3.0", "fedmllm_updates_received_total 1.0",
          "fedmllm_updates_rejected_total{reason=\"NAN_OR_INF\"} 1.0", "fedmllm_aggregation_duration_seconds_count 1",
          "fedmllm_round_duration_seconds_sum 4.0", "fedmllm_storage_bytes_total{direction=\"write\"} 1024.0",
          "fedmllm_training_loss 0.5", "fedmllm_training_samples_per_second 120.0",
          "fedmllm_training_memory_peak_bytes{kind=\"device\"} 3.221225472E9"}) {
        assertTrue(body.contains(line), "missing '" + line + "' in:\n" + body);
      }
    }
  }
}
