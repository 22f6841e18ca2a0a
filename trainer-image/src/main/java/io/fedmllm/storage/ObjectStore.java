package io.fedmllm.storage;

import java.util.Optional;

/**
 * The few object-storage operations the round protocol needs. Every call is bounded in time: implementations either
 * succeed, report a definite answer (absent, already exists), or throw {@link StorageException} once their retry
 * budget is spent.
 *
 * <p>Keys are relative to the store's bucket. A single {@code put} is atomic from a reader's view: a reader sees the
 * previous content or the complete new one, never a prefix of it.
 */
public interface ObjectStore extends AutoCloseable {

  /** Writes (or replaces) {@code key}; the store verifies the bytes against their SHA-256 on arrival. */
  void put(String key, byte[] data);

  /**
   * Writes {@code key} only if no object of that name exists ({@code If-None-Match: *}).
   *
   * <p>Safe to retry: when the object already holds exactly {@code data} (a retry meeting its own earlier write, or a
   * second writer of identical bytes) the call also reports success.
   *
   * @return true if the object now holds {@code data}; false if another writer stored different bytes first (nothing
   *     was changed: the second writer loses cleanly)
   */
  boolean putIfAbsent(String key, byte[] data);

  /**
   * Writes (or replaces) {@code key} whose SHA-256 the caller already computed (the protocol's content-addressed data
   * objects): the store still verifies the bytes on arrival against it, and the client need not hash them again.
   *
   * @param sha256 the 32-byte SHA-256 of {@code data}
   */
  default void put(String key, byte[] data, byte[] sha256) {
    put(key, data);
  }

  /** The object's bytes, or empty when it does not exist. */
  Optional<byte[]> get(String key);

  /**
   * The object's bytes, read in one pass that also feeds every byte to {@code digest} as it arrives (so verifying a
   * checksum costs no second pass over memory); empty when the object does not exist. The bytes are returned whole
   * whatever their size, so the caller can compare it with the size it expects.
   *
   * @param expectedSize the size the caller expects (a hint for the buffer; not enforced here)
   */
  default Optional<byte[]> get(String key, long expectedSize, java.security.MessageDigest digest) {
    Optional<byte[]> bytes = get(key);
    bytes.ifPresent(digest::update);
    return bytes;
  }

  /** Whether the object exists. */
  boolean exists(String key);

  /**
   * Deletes every object under {@code prefix} (which must end with '/'): the operator's retain policy. This is the
   * only operation that lists; the protocol itself never discovers objects by listing.
   *
   * @return the number of objects deleted
   */
  int deletePrefix(String prefix);

  /** A short description for logs: endpoint and bucket, never credentials. */
  String describe();

  @Override
  void close();
}
