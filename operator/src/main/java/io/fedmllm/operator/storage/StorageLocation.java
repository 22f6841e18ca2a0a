package io.fedmllm.operator.storage;

import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.operator.naming.ResourceNames;
import java.util.Optional;

/**
 * Where one federation's objects live: endpoint, region, bucket and key prefix, plus the Secret holding the
 * credentials (by name only; its values never leave the Secret except into pod env through secretKeyRef and into the
 * operator's own S3 client).
 */
public record StorageLocation(
    Optional<String> endpoint, String region, String bucket, String prefix, Optional<String> credentialsSecret) {

  /** The location of a federation, or empty when its spec has no storage (it cannot run on a cluster then). */
  public static Optional<StorageLocation> of(String namespace, String federation, StorageSpec storage) {
    if (storage == null || storage.getBucket() == null) {
      return Optional.empty();
    }
    String prefix = storage.getPrefix() != null
        ? storage.getPrefix()
        : ResourceNames.defaultStoragePrefix(namespace, federation);
    String region = storage.getRegion() != null ? storage.getRegion() : "us-east-1";
    return Optional.of(new StorageLocation(Optional.ofNullable(storage.getEndpoint()), region, storage.getBucket(),
        prefix, Optional.ofNullable(storage.getCredentialsSecret())));
  }

  /** {@code s3://bucket/key}. */
  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The key of the aggregator's {@code status.json}. */
  public String statusKey() {
    return prefix + "/status.json";
  }
}
