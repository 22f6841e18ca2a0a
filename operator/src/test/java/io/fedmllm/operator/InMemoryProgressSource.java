package io.fedmllm.operator;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.operator.storage.ProgressSource;
import io.fedmllm.operator.storage.StorageAccessException;
import io.fedmllm.operator.storage.StorageLocation;
import io.fedmllm.operator.storage.StorageReading;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Object storage for the reconciler tests: status.json per bucket/prefix as the test sets it, and a record of deleted
 * prefixes. (The S3 client itself is exercised against a real object store in the cluster tests.)
 */
@Mock
@ApplicationScoped
public class InMemoryProgressSource implements ProgressSource {

  private final Map<String, FederationProgress> objects = new ConcurrentHashMap<>();
  private final List<String> deleted = new CopyOnWriteArrayList<>();

  @Override
  public StorageReading read(String namespace, StorageLocation location) {
    FederationProgress s = objects.get(location.bucket() + "/" + location.prefix());
    return s == null ? new StorageReading.NotStarted() : new StorageReading.Snapshot(s);
  }

  @Override
  public void deletePrefix(String namespace, StorageLocation location) throws StorageAccessException {
    objects.remove(location.bucket() + "/" + location.prefix());
    deleted.add(location.bucket() + "/" + location.prefix());
  }

  public void write(String bucket, String prefix, FederationProgress snapshot) {
    objects.put(bucket + "/" + prefix, snapshot);
  }

  public List<String> deletedPrefixes() {
    return deleted;
  }
}
