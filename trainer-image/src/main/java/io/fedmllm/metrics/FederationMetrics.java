package io.fedmllm.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus metrics of an aggregator or trainer process, in their own registry. Names follow Prometheus
 * conventions: base units (seconds, bytes), {@code _total} for counters; labels stay low-cardinality (a rejection
 * reason, a transfer direction).
 */
public final class FederationMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge currentRound = Gauge.builder().name("fedmllm_current_round")
      .help("Round the process is working on (0-based)").register(registry);
  private final Counter roundsCompleted = Counter.builder().name("fedmllm_rounds_completed_total")
      .help("Rounds committed by the aggregator").register(registry);
  private final Histogram roundDuration = Histogram.builder().name("fedmllm_round_duration_seconds")
      .help("Wall time from publishing a round's plan to committing its result")
      .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800).register(registry);
  private final Counter updatesReceived = Counter.builder().name("fedmllm_updates_received_total")
      .help("Client updates the aggregator read for aggregation").register(registry);
  private final Counter updatesRejected = Counter.builder().name("fedmllm_updates_rejected_total")
      .help("Client updates refused, by reason").labelNames("reason").register(registry);
  private final Counter updatesMissing = Counter.builder().name("fedmllm_updates_missing_total")
      .help("Sampled clients whose update had not arrived when the round closed").register(registry);
  private final Histogram aggregationDuration = Histogram.builder().name("fedmllm_aggregation_duration_seconds")
      .help("Time to read, verify and fold all updates of a round").classicUpperBounds(0.1, 0.5, 1, 2, 5, 10, 30, 60)
      .register(registry);
  private final Counter storageBytes = Counter.builder().name("fedmllm_storage_bytes_total")
      .help("Bytes moved to and from object storage").labelNames("direction").register(registry);
  private final Gauge trainingLoss = Gauge.builder().name("fedmllm_training_loss")
      .help("Mean training loss of the latest local round (trainer) or round (aggregator)").register(registry);
  private final Gauge samplesPerSecond = Gauge.builder().name("fedmllm_training_samples_per_second")
      .help("Training throughput of the latest local round").register(registry);
  private final Gauge trainingMemory = Gauge.builder().name("fedmllm_training_memory_peak_bytes")
      .help("Most memory a step of the latest local round left in use: the GPU's (kind=device) or the process's"
          + " resident set on a CPU (kind=host-rss)")
      .labelNames("kind").register(registry);
  private final Gauge globalMetric = Gauge.builder().name("fedmllm_global_metric")
      .help("Evaluation metric of the latest global adapter (ROC AUC, macro-F1 or accuracy)").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  public void round(int round) {
    currentRound.set(round);
  }

  public void roundCompleted(double seconds) {
    roundsCompleted.inc();
    roundDuration.observe(seconds);
  }

  public void updateReceived() {
    updatesReceived.inc();
  }

  public void updateRejected(String reason) {
    updatesRejected.labelValues(reason).inc();
  }

  public void updatesMissing(int count) {
    updatesMissing.inc(count);
  }

  public void aggregated(double seconds) {
    aggregationDuration.observe(seconds);
  }

  public void bytesRead(long bytes) {
    storageBytes.labelValues("read").inc(bytes);
  }

  public void bytesWritten(long bytes) {
    storageBytes.labelValues("write").inc(bytes);
  }

  public void trained(double meanLoss, double throughput) {
    trainingLoss.set(meanLoss);
    samplesPerSecond.set(throughput);
  }

  /** @param kind what the figure counts ({@link io.fedmllm.train.DeviceMemory#kind}); nothing when not measured */
  public void trainingMemory(long peakBytes, String kind) {
    if (peakBytes > 0) {
      trainingMemory.labelValues(kind).set(peakBytes);
    }
  }

  /** The latest {@link #trainingMemory} figure of {@code kind}, for tests and summaries. */
  public double trainingMemory(String kind) {
    return trainingMemory.labelValues(kind).get();
  }

  public void evaluated(double metric) {
    globalMetric.set(metric);
  }

  /** Counter value for tests and summaries. */
  public double rejected(String reason) {
    return updatesRejected.labelValues(reason).get();
  }

  public double received() {
    return updatesReceived.get();
  }

  /** Bytes read from storage so far. */
  public double bytesRead() {
    return storageBytes.labelValues("read").get();
  }
}
