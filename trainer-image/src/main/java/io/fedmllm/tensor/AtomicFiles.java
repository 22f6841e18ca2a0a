package io.fedmllm.tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a partial file: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is renamed over the
 * target.
 *
 * <p>The published file gets the permissions any new file gets ({@code 0666} minus the process's umask, e.g.
 * {@code rw-r--r--}), not the owner-only {@code 0600} of {@link Files#createTempFile}: files written at image build
 * time as root (the bundled bases) must be readable by the unprivileged user the container runs as.
 */
public final class AtomicFiles {

  /** Produces the file's content. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with what {@code content} writes; creates parent directories. */
  public static void write(Path target, ContentWriter content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path tmp = newTemporaryFile(dir, absolute.getFileName().toString());
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A new empty file {@code .NAME.RANDOM.tmp} in {@code dir}, created with the default (umask) permissions. */
  private static Path newTemporaryFile(Path dir, String name) throws IOException {
    while (true) {
      Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException taken) {
        // another writer's temporary file: draw another name
      }
    }
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }
}
