package io.fedmllm.protocol;

import io.fedmllm.storage.ObjectStore;
import java.util.Optional;

/**
 * A real object store whose writes of update weights get one byte flipped on the way: what a faulty disk or network
 * path would do after the trainer computed the checksum for its manifest.
 */
final class CorruptingObjectStore implements ObjectStore {

  private final ObjectStore delegate;

  CorruptingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(String key, byte[] data) {
    byte[] copy = data.clone();
    if (key.contains("/weights-")) {
      copy[copy.length - 1] ^= 0x5A;
    }
    delegate.put(key, copy);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    return delegate.putIfAbsent(key, data);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return delegate.get(key);
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
    return "corrupting " + delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
