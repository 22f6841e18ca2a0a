package io.fedmllm.operator.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.fedmllm.operator.federation.WorkflowKeys;

/**
 * Reconcile precondition of the aggregator and trainer pods: the reconciler decided (before the workflow runs) that
 * pods should exist. When it is not met the workflow deletes the pod: that is how suspend, a finished federation and
 * a trainer's backoff free their nodes and GPUs.
 */
public class PodsWanted<P extends HasMetadata> implements Condition<Pod, P> {

  @Override
  public boolean isMet(DependentResource<Pod, P> dependentResource, P primary, Context<P> context) {
    return context.managedWorkflowAndDependentResourceContext().get(WorkflowKeys.WANTS_PODS, Boolean.class)
        .orElse(false);
  }
}
