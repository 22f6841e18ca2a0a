package io.fedmllm.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.storage.Checksums;
import io.fedmllm.storage.ObjectStore;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The protocol's commit rule on top of an {@link ObjectStore}: data objects are written first under content-addressed
 * keys, then a small JSON manifest naming them (SHA-256 and size) is published with {@code If-None-Match: *}.
 * Readers act only on manifests and verify every data object they fetch.
 */
public final class ManifestStore implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(SerializationFeature.INDENT_OUTPUT, true);

  private final ObjectStore store;

  public ManifestStore(ObjectStore store) {
    this.store = store;
  }

  public ObjectStore objects() {
    return store;
  }

  /**
   * Publishes a manifest unless one exists.
   *
   * @return true if the stored manifest is now {@code manifest} (written by this call, or identical bytes already
   *     there); false if another writer committed a different one first
   */
  public boolean publish(String key, Object manifest) {
    return store.putIfAbsent(key, toJson(manifest));
  }

  /** Overwrites a view object (the status); atomic for readers, never a commit point. */
  public void overwrite(String key, Object value) {
    store.put(key, toJson(value));
  }

  public boolean exists(String key) {
    return store.exists(key);
  }

  /**
   * Reads a manifest.
   *
   * @throws ProtocolException when the object exists but is not a valid manifest of that type
   */
  public <T> Optional<T> read(String key, Class<T> type) {
    return store.get(key).map(bytes -> parse(bytes, type, key));
  }

  /** Writes a data object under the key {@code keyForSha} derives from its checksum and returns its reference. */
  public ObjectRef putData(byte[] bytes, Function<String, String> keyForSha) {
    byte[] digest = Checksums.sha256(bytes);
    String sha = java.util.HexFormat.of().formatHex(digest);
    String key = keyForSha.apply(sha);
    store.put(key, bytes, digest);
    return new ObjectRef(key, sha, bytes.length);
  }

  /**
   * Fetches a data object and verifies its size and SHA-256 against the manifest's reference.
   *
   * @throws ChecksumMismatchException when the bytes are not the ones the manifest names
   * @throws ProtocolException when the object is missing
   */
  public byte[] readData(ObjectRef ref) {
    java.security.MessageDigest digest = Checksums.newSha256();
    byte[] bytes = store.get(ref.key(), ref.size(), digest).orElseThrow(() ->
        new ProtocolException("data object " + ref.key() + " named by a manifest does not exist"));
    if (bytes.length != ref.size()) {
      throw new ChecksumMismatchException(ref.key() + ": " + bytes.length + " bytes, manifest says " + ref.size());
    }
    // The digest saw every byte as it arrived (one pass: fetch and checksum together).
    String sha = java.util.HexFormat.of().formatHex(digest.digest());
    if (!sha.equals(ref.sha256())) {
      throw new ChecksumMismatchException(ref.key() + ": SHA-256 " + sha + ", manifest says " + ref.sha256());
    }
    return bytes;
  }

  /** Closes the underlying store. */
  @Override
  public void close() {
    store.close();
  }

  /** The JSON the protocol writes for {@code value} (the same mapper as every manifest). */
  public static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  /** Parses a protocol JSON document; a problem is a {@link ProtocolException} naming {@code source}. */
  public static <T> T parse(byte[] bytes, Class<T> type, String source) {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException | IllegalArgumentException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw new ProtocolException(source + ": not a valid " + type.getSimpleName() + ": " + m);
    }
  }
}
