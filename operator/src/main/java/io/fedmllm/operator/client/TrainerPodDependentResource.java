package io.fedmllm.operator.client;

import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorConfig;
import io.fedmllm.operator.federation.WorkflowKeys;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.RecreatingPodDependentResource;
import io.fedmllm.operator.storage.StorageLocation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/** The trainer pod of a FederationClient (see {@link TrainerPods}); a failed one is replaced after its backoff. */
@KubernetesDependent(informer = @Informer(labelSelector = TrainerPodDependentResource.SELECTOR))
public class TrainerPodDependentResource extends RecreatingPodDependentResource<FederationClient> {

  static final String SELECTOR = Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=trainer";

  @Inject OperatorConfig config;

  @Override
  protected String podName(FederationClient primary) {
    return ResourceNames.trainerPod(primary.getMetadata().getName());
  }

  @Override
  protected boolean replaceFailed() {
    return true;
  }

  @Override
  protected Pod desired(FederationClient primary, Context<FederationClient> context) {
    var values = context.managedWorkflowAndDependentResourceContext();
    Federation federation = values.getMandatory(WorkflowKeys.FEDERATION, Federation.class);
    StorageLocation location = values.getMandatory(WorkflowKeys.LOCATION, StorageLocation.class);
    return TrainerPods.desired(primary, federation, location, config.settings());
  }
}
