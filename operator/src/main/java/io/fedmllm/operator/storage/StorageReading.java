package io.fedmllm.operator.storage;

import io.fedmllm.api.progress.FederationProgress;

/** The result of one look at a federation's storage. */
public sealed interface StorageReading {

  /** The federation has no storage block: it cannot run on a cluster. */
  record NotConfigured() implements StorageReading {}

  /** Reachable, but the aggregator has not written status.json yet. */
  record NotStarted() implements StorageReading {}

  /** status.json as last written. */
  record Snapshot(FederationProgress snapshot) implements StorageReading {}

  /** The store or the credentials failed; the message is one line, without secrets. */
  record Unreachable(String message) implements StorageReading {}
}
