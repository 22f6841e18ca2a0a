package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("sub/out.bin");
    AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(file, "second".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
  }

  /**
   * A file published as root at image build time (the bundled bases) must be readable by the container's user: the
   * published file gets the umask's permissions like any new file, not a temporary file's owner-only 0600.
   */
  @Test
  void thePublishedFileIsReadableByOthersLikeAnyNewFile() throws IOException {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file attributes");
    Path plain = Files.createFile(dir.resolve("plain"));
    Set<PosixFilePermission> umaskDefault = Files.getPosixFilePermissions(plain);
    assumeTrue(umaskDefault.contains(PosixFilePermission.OTHERS_READ), "a umask that lets others read new files");

    Path file = dir.resolve("model.safetensors");
    AtomicFiles.write(file, new byte[] {1, 2, 3});
    Set<PosixFilePermission> published = Files.getPosixFilePermissions(file);
    assertEquals(PosixFilePermissions.toString(umaskDefault), PosixFilePermissions.toString(published));
    assertTrue(published.contains(PosixFilePermission.OTHERS_READ), PosixFilePermissions.toString(published));
    assertTrue(published.contains(PosixFilePermission.GROUP_READ), PosixFilePermissions.toString(published));
  }
}
