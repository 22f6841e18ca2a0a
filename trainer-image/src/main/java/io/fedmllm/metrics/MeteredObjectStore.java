package io.fedmllm.metrics;

import io.fedmllm.storage.ObjectStore;
import java.util.Optional;

/** Counts the bytes an {@link ObjectStore} moves into {@code fedmllm_storage_bytes_total}. */
public final class MeteredObjectStore implements ObjectStore {

  private final ObjectStore delegate;
  private final FederationMetrics metrics;

  public MeteredObjectStore(ObjectStore delegate, FederationMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public void put(String key, byte[] data) {
    delegate.put(key, data);
    metrics.bytesWritten(data.length);
  }

  @Override
  public void put(String key, byte[] data, byte[] sha256) {
    delegate.put(key, data, sha256);
    metrics.bytesWritten(data.length);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    boolean ok = delegate.putIfAbsent(key, data);
    metrics.bytesWritten(data.length);
    return ok;
  }

  @Override
  public Optional<byte[]> get(String key) {
    Optional<byte[]> bytes = delegate.get(key);
    bytes.ifPresent(b -> metrics.bytesRead(b.length));
    return bytes;
  }

  @Override
  public Optional<byte[]> get(String key, long expectedSize, java.security.MessageDigest digest) {
    Optional<byte[]> bytes = delegate.get(key, expectedSize, digest);
    bytes.ifPresent(b -> metrics.bytesRead(b.length));
    return bytes;
  }

  @Override
  public boolean exists(String key) {
    return delegate.exists(key);
  }

  @Override
  public int deletePrefix(String prefix) {
    return delegate.deletePrefix(prefix);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
