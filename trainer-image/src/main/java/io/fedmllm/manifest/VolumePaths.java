package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@code path} named with an optional {@code volume} lives for this process. In {@code fedmllm local} a
 * relative path is resolved against the manifest's folder, a {@code hostPath} volume is a folder of this machine and
 * a PersistentVolumeClaim does not exist; in a pod the operator mounts the volume (claim or host path) at
 * {@code volumeMount}, and a path without a volume is a path in the image. Client data and model checkpoints resolve
 * their paths the same way.
 */
record VolumePaths(Path baseDirectory, Optional<Path> volumeMount) {

  VolumePaths {
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Objects.requireNonNull(volumeMount, "volumeMount");
  }

  static VolumePaths forLocalRun(Path manifestDirectory) {
    return new VolumePaths(manifestDirectory, Optional.empty());
  }

  static VolumePaths inPod(Path volumeMount) {
    return new VolumePaths(Path.of("/"), Optional.of(volumeMount));
  }

  /**
   * The existing file or folder {@code path} names.
   *
   * @param field the spec field the path and volume belong to, e.g. {@code spec.data}, for errors
   * @throws IOException {@code <field>.path: <path> does not exist}, or {@code <field>.volume.persistentVolumeClaim}
   *     when a claim is named outside a cluster
   */
  Path resolve(VolumeSpec volume, String path, String field) throws IOException {
    Path root;
    if (volume == null) {
      root = baseDirectory;
    } else if (volumeMount.isPresent()) {
      root = volumeMount.get();
    } else if (volume.getHostPath() != null) {
      root = Path.of(volume.getHostPath());
    } else {
      throw new IOException(field + ".volume.persistentVolumeClaim: a PersistentVolumeClaim exists only on a"
          + " cluster; use hostPath (or no volume) for fedmllm local");
    }
    Path resolved = root.resolve(path).normalize();
    if (!Files.exists(resolved)) {
      throw new IOException(field + ".path: " + resolved + " does not exist");
    }
    return resolved;
  }
}
