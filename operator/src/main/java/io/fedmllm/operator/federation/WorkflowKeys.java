package io.fedmllm.operator.federation;

/** Values the reconcilers hand to their dependents and conditions through the workflow context. */
public final class WorkflowKeys {

  /** Boolean: pods should exist (not suspended, not finished, storage configured, backoff over). */
  public static final String WANTS_PODS = "fedmllm.wantsPods";
  /** StorageLocation of the federation. */
  public static final String LOCATION = "fedmllm.location";
  /** List of the federation's FederationClients. */
  public static final String CLIENTS = "fedmllm.clients";
  /** The Federation a client belongs to. */
  public static final String FEDERATION = "fedmllm.federation";

  private WorkflowKeys() {}
}
