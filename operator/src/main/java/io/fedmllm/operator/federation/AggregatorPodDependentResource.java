package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.config.OperatorConfig;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.naming.ResourceNames;
import io.fedmllm.operator.pods.RecreatingPodDependentResource;
import io.fedmllm.operator.storage.StorageLocation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/** The aggregator pod of a Federation (see {@link AggregatorPods}). */
@KubernetesDependent(informer = @Informer(labelSelector = AggregatorPodDependentResource.SELECTOR))
public class AggregatorPodDependentResource extends RecreatingPodDependentResource<Federation> {

  static final String SELECTOR = Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=aggregator";

  @Inject OperatorConfig config;

  @Override
  protected String podName(Federation primary) {
    return ResourceNames.aggregatorPod(primary.getMetadata().getName());
  }

  @Override
  protected boolean replaceFailed() {
    return true;
  }

  @Override
  protected Pod desired(Federation primary, Context<Federation> context) {
    var values = context.managedWorkflowAndDependentResourceContext();
    StorageLocation location = values.getMandatory(WorkflowKeys.LOCATION, StorageLocation.class);
    return AggregatorPods.desired(primary, location, config.settings());
  }
}
