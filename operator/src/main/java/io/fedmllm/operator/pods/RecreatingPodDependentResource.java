package io.fedmllm.operator.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import org.jboss.logging.Logger;

/**
 * A pod dependent that is never patched: a pod whose {@link SpecHash} differs from the desired one, or that failed,
 * is deleted, and the delete event brings a reconcile that creates its replacement. The reconcilers record status
 * before the workflow runs, so the last committed round is in status before any pod goes away.
 */
public abstract class RecreatingPodDependentResource<P extends HasMetadata>
    extends CRUDKubernetesDependentResource<Pod, P> {

  private static final Logger LOG = Logger.getLogger(RecreatingPodDependentResource.class);

  protected RecreatingPodDependentResource() {
    super(Pod.class);
  }

  /** The pod's name, known without computing the desired pod (which needs inputs a deletion may lack). */
  protected abstract String podName(P primary);

  @Override
  protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
    return new ResourceID(podName(primary), primary.getMetadata().getNamespace());
  }

  /** Whether a failed pod should be replaced (trainers: yes, after backoff; the aggregator restarts in place). */
  protected abstract boolean replaceFailed();

  @Override
  public Matcher.Result<Pod> match(Pod actual, P primary, Context<P> context) {
    Pod desired = desired(primary, context);
    boolean failed = replaceFailed() && actual.getStatus() != null && "Failed".equals(actual.getStatus().getPhase());
    boolean same = java.util.Objects.equals(SpecHash.of(actual), SpecHash.of(desired));
    return Matcher.Result.computed(same && !failed, desired);
  }

  @Override
  public Pod update(Pod actual, Pod desired, P primary, Context<P> context) {
    if (actual.getMetadata().getDeletionTimestamp() == null) {
      LOG.infof("recreating pod %s/%s (spec changed or pod failed)", actual.getMetadata().getNamespace(),
          actual.getMetadata().getName());
      context.getClient().resource(actual).delete();
    }
    return actual;
  }
}
