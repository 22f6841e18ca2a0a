package io.fedmllm.operator.metrics;

import io.fedmllm.api.v1alpha1.FederationStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-federation gauges, tagged by namespace and federation only: {@code fedmllm_federation_round} (completed rounds),
 * {@code fedmllm_federation_rounds_total}, {@code fedmllm_federation_clients_ready} and
 * {@code fedmllm_federation_last_metric}. Removed when the federation is deleted, so no series outlives it.
 */
@ApplicationScoped
public class FederationGauges {

  public static final String ROUND = "fedmllm.federation.round";
  public static final String ROUNDS_TOTAL = "fedmllm.federation.rounds.total";
  public static final String CLIENTS_READY = "fedmllm.federation.clients.ready";
  public static final String LAST_METRIC = "fedmllm.federation.last.metric";

  /** The latest values of one federation, read by its gauges. */
  static final class Values {
    volatile double round;
    volatile double roundsTotal;
    volatile double clientsReady;
    volatile double lastMetric = Double.NaN;
  }

  private record Entry(Values values, List<Meter> meters) {}

  private final MeterRegistry registry;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public FederationGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  public void update(String namespace, String federation, FederationStatus status) {
    Entry e = entries.computeIfAbsent(namespace + "/" + federation, k -> register(namespace, federation));
    e.values.round = status.getCompletedRounds() == null ? 0 : status.getCompletedRounds();
    e.values.roundsTotal = status.getTotalRounds() == null ? 0 : status.getTotalRounds();
    e.values.clientsReady = status.getClientsReady() == null ? 0 : status.getClientsReady();
    e.values.lastMetric = status.getLastMetric() == null ? Double.NaN : status.getLastMetric();
  }

  public void remove(String namespace, String federation) {
    Entry e = entries.remove(namespace + "/" + federation);
    if (e != null) {
      e.meters.forEach(registry::remove);
    }
  }

  private Entry register(String namespace, String federation) {
    Values v = new Values();
    Tags tags = Tags.of("namespace", namespace, "federation", federation);
    List<Meter> meters = List.of(
        Gauge.builder(ROUND, v, x -> x.round).tags(tags).description("Rounds committed").register(registry),
        Gauge.builder(ROUNDS_TOTAL, v, x -> x.roundsTotal).tags(tags).description("spec.rounds").register(registry),
        Gauge.builder(CLIENTS_READY, v, x -> x.clientsReady).tags(tags).description("Trainers running")
            .register(registry),
        Gauge.builder(LAST_METRIC, v, x -> x.lastMetric).tags(tags).description("Metric of the latest global adapter")
            .register(registry));
    return new Entry(v, meters);
  }
}
