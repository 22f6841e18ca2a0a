package io.fedmllm.operator.storage;

/**
 * Reads a federation's progress from its storage, and removes its objects for the Delete retain policy. The one
 * production implementation is {@link S3ProgressSource}.
 */
public interface ProgressSource {

  /** The current status.json of the federation at {@code location}. Never throws. */
  StorageReading read(String namespace, StorageLocation location);

  /** Deletes every object under the federation's prefix; throws when that fails, so deletion is retried. */
  void deletePrefix(String namespace, StorageLocation location) throws StorageAccessException;
}
