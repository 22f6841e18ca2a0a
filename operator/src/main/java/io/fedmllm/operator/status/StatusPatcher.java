package io.fedmllm.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Objects;

/**
 * Writes a primary's status when it changed, before the workflow acts on pods ("observe, record, then act"): with
 * server-side apply when JOSDK uses it for primaries (always on a real API server), with an unconditional status update where the
 * test profile turns it off ({@code %test.quarkus.operator-sdk.enable-ssa=false}: the mock server has none).
 */
public final class StatusPatcher {

  private StatusPatcher() {}

  /** Whether two status objects serialise identically. */
  public static boolean same(Object a, Object b) {
    return Objects.equals(a == null ? null : Serialization.asJson(a), b == null ? null : Serialization.asJson(b));
  }

  /** Patches {@code fresh} (the primary carrying its new status) and returns the server's copy. */
  public static <P extends HasMetadata> P patch(P fresh, Context<P> context) {
    // The operator owns status alone: no optimistic lock, so a stale cache cannot turn into a conflict loop.
    fresh.getMetadata().setResourceVersion(null);
    fresh.getMetadata().setManagedFields(null);
    if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
      return context.resourceOperations().serverSideApplyPrimaryStatus(fresh);
    }
    return context.resourceOperations().updatePrimaryStatus(fresh);
  }
}
