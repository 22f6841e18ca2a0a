package io.fedmllm.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Objects;

/**
 * Writes a primary's status when it changed, before the workflow acts on pods ("observe, record, then act"): with
 * server-side apply on a real API server, with a JSON merge patch where there is none (the test mock server).
 */
public final class StatusPatcher {

  private StatusPatcher() {}

  /** Whether two status objects serialise identically. */
  public static boolean same(Object a, Object b) {
    return Objects.equals(a == null ? null : Serialization.asJson(a), b == null ? null : Serialization.asJson(b));
  }

  /** Patches {@code fresh} (the primary carrying its new status) and returns the server's copy. */
  public static <P extends HasMetadata> P patch(P fresh, Context<P> context, boolean serverSideApply) {
    if (serverSideApply) {
      fresh.getMetadata().setManagedFields(null);
      fresh.getMetadata().setResourceVersion(null);
      return context.resourceOperations().serverSideApplyPrimaryStatus(fresh);
    }
    return context.resourceOperations().jsonMergePatchPrimaryStatus(fresh);
  }
}
