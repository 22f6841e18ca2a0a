package io.fedmllm.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconcile metrics in their controller-level form ({@link MicrometerMetricsV2}): {@code reconciliations_*}
 * and {@code events_received} tagged by controller, with the execution time as a histogram, which the chart's
 * Grafana dashboard queries. It replaces QOSDK's default per-resource metrics, whose series grow with every
 * Federation and FederationClient ever reconciled.
 */
@Singleton
public class ReconcileMetrics {

  @Produces
  @Singleton
  Metrics josdkMetrics(MeterRegistry registry) {
    return MicrometerMetricsV2.newBuilder(registry)
        .withExecutionTimerConfig(timer -> timer.publishPercentileHistogram())
        .build();
  }
}
