package io.fedmllm.api.manifest;

import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import java.util.List;

/**
 * A validated manifest file: one Federation and its FederationClients, in file order.
 *
 * @param source the file it was read from, as given
 * @param ignored documents of other API groups (for example a Secret next to the Federation), as
 *     {@code "<apiVersion> <kind> <name> (document N)"}: the cluster applies them, {@code fedmllm local} does not need them
 */
public record Manifest(
    String source,
    Resource<FederationSpec> federation,
    List<Resource<FederationClientSpec>> clients,
    List<String> ignored) {

  public Manifest {
    clients = List.copyOf(clients);
    ignored = List.copyOf(ignored);
  }

  /** Client names in file order. */
  public List<String> clientNames() {
    return clients.stream().map(Resource::name).toList();
  }
}
