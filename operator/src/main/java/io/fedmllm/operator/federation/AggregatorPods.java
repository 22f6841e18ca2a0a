package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.Owners;
import io.fedmllm.operator.pods.PodBlueprint;
import io.fedmllm.operator.pods.ProcessArguments;
import io.fedmllm.operator.pods.SpecHash;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.HashMap;
import java.util.List;

/**
 * The desired aggregator pod of a federation: a pure function of the Federation and its storage. Its FederationClients
 * are not part of it: clients join and leave a running federation, and the aggregator re-reads them from the mounted
 * manifest before every round, so creating or deleting a client never recreates the aggregator.
 */
public final class AggregatorPods {

  public static final String METRICS_PORT_NAME = PodBlueprint.METRICS_PORT_NAME;

  private AggregatorPods() {}

  /**
   * The pod's hash covers the Federation as the aggregator reads it at start (its rendered document, without the
   * clients), so a change of the Federation's spec recreates the pod and a change of its clients does not.
   */
  public static Pod desired(Federation federation, StorageLocation storage, OperatorSettings settings) {
    String name = federation.getMetadata().getName();
    FederationSpec spec = federation.getSpec();
    // An aggregator given a GPU (spec.aggregatorResources) evaluates on it: it runs the GPU variant of the image.
    String image = PodBlueprint.trainerImage(spec.getAggregatorImage(), spec.getAggregatorResources(),
        settings.aggregatorImage(), settings.trainerGpuImage());
    CheckpointSourceSpec checkpoint = spec.getModel() == null ? null : spec.getModel().getCheckpoint();
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(ResourceNames.aggregatorPod(name))
        .withNamespace(federation.getMetadata().getNamespace())
        .withLabels(Labels.forFederation(name, Labels.Component.AGGREGATOR))
        .withAnnotations(new HashMap<>())
        .withOwnerReferences(Owners.controllerReference(federation))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("OnFailure")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodBlueprint.podSecurityContext())
        .withContainers(PodBlueprint.processContainer(image,
            ProcessArguments.aggregator(storage, settings.podMetricsPort(), checkpoint), storage,
            settings.podMetricsPort(), spec.getAggregatorResources(), spec.getEvalData(), checkpoint))
        .withVolumes(PodBlueprint.volumes(ResourceNames.configMap(name), spec.getEvalData(), checkpoint))
        .withNodeSelector(PodBlueprint.nodeSelector(spec.getNodeSelector(), null))
        .withTolerations(PodBlueprint.tolerations(spec.getTolerations(), null))
        .withAffinity(PodBlueprint.affinity(spec.getAffinity()))
        .withPriorityClassName(spec.getPriorityClassName())
        .withRuntimeClassName(spec.getRuntimeClassName())
        .endSpec()
        .build();
    return SpecHash.stamp(pod, FederationManifest.render(federation, List.of()));
  }
}
