package io.fedmllm.operator.status;

/** Condition types (PascalCase) of Federation and FederationClient status. */
public final class ConditionTypes {

  public static final String READY = "Ready";
  public static final String AGGREGATOR_READY = "AggregatorReady";
  public static final String CLIENTS_READY = "ClientsReady";
  public static final String STORAGE_READY = "StorageReady";
  public static final String FEDERATION_FOUND = "FederationFound";
  public static final String TRAINER_READY = "TrainerReady";

  private ConditionTypes() {}
}
