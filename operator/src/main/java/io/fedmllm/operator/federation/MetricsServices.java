package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.Owners;

/** The desired ClusterIP Service in front of the aggregator's Prometheus endpoint (scraped by the ServiceMonitor). */
public final class MetricsServices {

  private MetricsServices() {}

  public static Service desired(Federation federation, OperatorSettings settings) {
    String name = federation.getMetadata().getName();
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ResourceNames.metricsService(name))
        .withNamespace(federation.getMetadata().getNamespace())
        .withLabels(Labels.forFederation(name, Labels.Component.METRICS))
        .withOwnerReferences(Owners.controllerReference(federation))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.aggregatorSelector(name))
        .addNewPort()
        .withName(AggregatorPods.METRICS_PORT_NAME)
        .withPort(settings.podMetricsPort())
        .withTargetPort(new IntOrString(AggregatorPods.METRICS_PORT_NAME))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
