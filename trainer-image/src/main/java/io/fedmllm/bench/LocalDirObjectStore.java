package io.fedmllm.bench;

import io.fedmllm.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Objects as files under a local directory (key = relative path): the protocol benchmark's local-disk side, so that
 * the disk figure runs the very same loader, checksum and fold code as the storage figure and only the source of
 * the bytes differs. Writes are atomic (temporary file, then rename).
 */
final class LocalDirObjectStore implements ObjectStore {

  private static final int READ_CHUNK = 256 * 1024;
  private final Path root;

  LocalDirObjectStore(Path root) {
    this.root = root;
  }

  private Path file(String key) {
    Path f = root.resolve(key).normalize();
    if (!f.startsWith(root)) {
      throw new IllegalArgumentException("key escapes the directory: " + key);
    }
    return f;
  }

  @Override
  public void put(String key, byte[] data) {
    Path f = file(key);
    try {
      Files.createDirectories(f.getParent());
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.write(tmp, data);
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(f + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    Optional<byte[]> existing = get(key);
    if (existing.isPresent()) {
      return java.util.Arrays.equals(existing.get(), data);
    }
    put(key, data);
    return true;
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": " + e.getMessage(), e);
    }
  }

  /** Reads into one array of the file's size, hashing chunk by chunk as it goes (the S3 store's read path). */
  @Override
  public Optional<byte[]> get(String key, long expectedSize, MessageDigest digest) {
    digest.reset();
    try (FileChannel ch = FileChannel.open(file(key), StandardOpenOption.READ)) {
      long size = ch.size();
      byte[] data = new byte[Math.toIntExact(size)];
      int filled = 0;
      while (filled < data.length) {
        int n = ch.read(ByteBuffer.wrap(data, filled, Math.min(READ_CHUNK, data.length - filled)));
        if (n < 0) {
          throw new IOException("file shrank while read: " + filled + " of " + size + " bytes");
        }
        digest.update(data, filled, n);
        filled += n;
      }
      return Optional.of(data);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.exists(file(key));
  }

  @Override
  public int deletePrefix(String prefix) {
    throw new UnsupportedOperationException("the benchmark's local directory store does not delete");
  }

  @Override
  public String describe() {
    return "local directory " + root;
  }

  @Override
  public void close() {}
}
