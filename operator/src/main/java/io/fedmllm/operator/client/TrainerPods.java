package io.fedmllm.operator.client;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.Owners;
import io.fedmllm.operator.pods.PodBlueprint;
import io.fedmllm.operator.pods.ProcessArguments;
import io.fedmllm.operator.pods.SpecHash;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.HashMap;

/**
 * The desired trainer pod of a client: the Federation's image (or the operator's GPU image for a pod that requests
 * {@code nvidia.com/gpu}), storage and scheduling with the client's overrides
 * (resources and affinity replace, nodeSelector and tolerations add). restartPolicy Never: the operator sees every
 * failure, counts it and recreates the pod after a backoff.
 */
public final class TrainerPods {

  private TrainerPods() {}

  public static Pod desired(FederationClient client, Federation federation, StorageLocation storage,
      OperatorSettings settings) {
    String clientName = client.getMetadata().getName();
    String federationName = federation.getMetadata().getName();
    FederationSpec fed = federation.getSpec();
    FederationClientSpec own = client.getSpec();
    ResourceRequirementsSpec resources = own.getResources() != null ? own.getResources() : fed.getResources();
    String image = PodBlueprint.trainerImage(fed.getTrainerImage(), resources, settings.trainerImage(),
        settings.trainerGpuImage());
    CheckpointSourceSpec checkpoint = fed.getModel() == null ? null : fed.getModel().getCheckpoint();
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(ResourceNames.trainerPod(clientName))
        .withNamespace(client.getMetadata().getNamespace())
        .withLabels(Labels.forClient(federationName, clientName))
        .withAnnotations(new HashMap<>())
        .withOwnerReferences(Owners.controllerReference(client))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodBlueprint.podSecurityContext())
        .withContainers(PodBlueprint.processContainer(image,
            ProcessArguments.trainer(clientName, fed.getRounds(), storage, settings.podMetricsPort(), checkpoint),
            storage, settings.podMetricsPort(), resources, own.getData(), checkpoint))
        .withVolumes(PodBlueprint.volumes(ResourceNames.configMap(federationName), own.getData(), checkpoint))
        .withNodeSelector(PodBlueprint.nodeSelector(fed.getNodeSelector(), own.getNodeSelector()))
        .withTolerations(PodBlueprint.tolerations(fed.getTolerations(), own.getTolerations()))
        .withAffinity(PodBlueprint.affinity(own.getAffinity() != null ? own.getAffinity() : fed.getAffinity()))
        .withPriorityClassName(fed.getPriorityClassName())
        .withRuntimeClassName(fed.getRuntimeClassName())
        .endSpec()
        .build();
    return SpecHash.stamp(pod, "");
  }
}
