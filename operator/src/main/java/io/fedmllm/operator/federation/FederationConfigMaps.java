package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.Owners;
import io.fedmllm.operator.pods.PodBlueprint;
import java.util.List;
import java.util.Map;

/** The desired ConfigMap: the rendered manifest of a federation and its clients (non-secret settings only). */
public final class FederationConfigMaps {

  private FederationConfigMaps() {}

  public static ConfigMap desired(Federation federation, List<FederationClient> clients) {
    String name = federation.getMetadata().getName();
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNames.configMap(name))
        .withNamespace(federation.getMetadata().getNamespace())
        .withLabels(Labels.forFederation(name, Labels.Component.CONFIG))
        .withOwnerReferences(Owners.controllerReference(federation))
        .endMetadata()
        .withData(Map.of(PodBlueprint.MANIFEST_FILE, FederationManifest.render(federation, clients)))
        .build();
  }
}
