package io.fedmllm.operator.federation;

import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a FederationClient reach its Federation's reconcile: only those that can change what that
 * reconcile reads from its clients. It reads each client's name, its spec (spec.federationRef maps the client to
 * its Federation, and the rendered manifest in the ConfigMap lists every client's spec: metadata.generation changes
 * with each spec change) and status.phase (whether its trainer counts as running, clientsReady); the number of
 * clients changes with add and delete events, which are not filtered. Labels, annotations, finalizers, owner
 * references and every other status field are not read; a deletion passes anyway.
 *
 * <p>What is dropped: a client's status is also written when its trainer pod goes from missing to pending, its
 * conditions' messages change, a backoff starts or its participation figures change, none of which the Federation
 * reads.
 */
public final class ClientUpdatesForFederation implements OnUpdateFilter<FederationClient> {

  @Override
  public boolean accept(FederationClient newer, FederationClient older) {
    return !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
        || !Objects.equals(newer.getMetadata().getDeletionTimestamp(), older.getMetadata().getDeletionTimestamp())
        || !Objects.equals(phase(newer.getStatus()), phase(older.getStatus()));
  }

  private static Object phase(FederationClientStatus status) {
    return status == null ? null : status.getPhase();
  }
}
