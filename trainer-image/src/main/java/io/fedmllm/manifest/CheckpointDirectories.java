package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code spec.model.checkpoint} is as a local directory for this process: a path on the machine (relative to
 * the manifest's folder for {@code fedmllm local}), below the volume the operator mounted into the pod, or the cache
 * copy of an {@code s3://} prefix fetched through {@link RemoteCheckpoint}. The same resolution rules as
 * {@link ClientDataResolver} has for data paths. Errors are {@link IOException}s whose message starts with the field
 * path, e.g. {@code spec.model.checkpoint.path: /models/smol does not exist}.
 */
public final class CheckpointDirectories {

  /** The field every message starts with. */
  static final String FIELD = "spec.model.checkpoint";
  /** Every checkpoint directory holds it; its absence is reported here, naming the field. */
  static final String CONFIG = "config.json";

  /**
   * Fetches the checkpoint under an {@code s3://} prefix into a local directory (the commands use
   * {@link io.fedmllm.storage.S3CheckpointFetcher#fetch}). Its messages are one line naming the key, without the URI;
   * this class prefixes the field and the URI.
   */
  @FunctionalInterface
  public interface RemoteCheckpoint {
    Path fetch(String s3Uri) throws IOException;
  }

  private final VolumePaths paths;
  private final Optional<RemoteCheckpoint> remote;

  private CheckpointDirectories(VolumePaths paths, Optional<RemoteCheckpoint> remote) {
    this.paths = paths;
    this.remote = remote;
  }

  /**
   * For {@code fedmllm local}: a relative path is resolved against the manifest's folder, a {@code hostPath} volume is
   * a folder of this machine, a PersistentVolumeClaim does not exist and {@code s3} goes through {@code remote}.
   */
  public static CheckpointDirectories forLocalRun(Path manifestDirectory, Optional<RemoteCheckpoint> remote) {
    return new CheckpointDirectories(VolumePaths.forLocalRun(manifestDirectory), remote);
  }

  /**
   * For the aggregator and trainer pods: the operator mounts the checkpoint's volume (claim or host path) at
   * {@code volumeMount} ({@code --checkpoint-mount}), so {@code path} is read below it; without a volume
   * {@code path} is a path in the image.
   */
  public static CheckpointDirectories inPod(Path volumeMount, Optional<RemoteCheckpoint> remote) {
    return new CheckpointDirectories(VolumePaths.inPod(volumeMount), remote);
  }

  /**
   * The local checkpoint directory of {@code model}, holding at least config.json; empty when the model is a preset
   * or base weights. An {@code s3} checkpoint is fetched (or found complete in the cache) now.
   *
   * @throws IOException naming the field ({@code spec.model.checkpoint.path}, {@code .volume.persistentVolumeClaim},
   *     {@code .s3}) and the directory, file or key
   */
  public Optional<Path> directory(ModelSpec model) throws IOException {
    CheckpointSourceSpec checkpoint = model == null ? null : model.getCheckpoint();
    if (checkpoint == null) {
      return Optional.empty();
    }
    if (checkpoint.getS3() != null) {
      return Optional.of(requireCheckpoint(fetch(checkpoint.getS3()), FIELD + ".s3: " + checkpoint.getS3()));
    }
    if (checkpoint.getPath() == null) {
      throw new IOException(FIELD + ": set exactly one of path and s3");
    }
    return Optional.of(requireCheckpoint(localPath(checkpoint), FIELD + ".path"));
  }

  /**
   * The name recorded as {@code base_model_name_or_path} in adapter_config.json: {@code spec.model.checkpoint.name},
   * else the last element of its {@code path} (or of the volume's host path or claim name when the path has none,
   * e.g. {@code .}), else the last segment of its {@code s3} prefix (or the bucket); empty when the model is not a
   * checkpoint. A function of the spec alone, so the aggregator, every trainer and a local run record the same name.
   */
  public static Optional<String> baseModelName(ModelSpec model) {
    CheckpointSourceSpec checkpoint = model == null ? null : model.getCheckpoint();
    if (checkpoint == null) {
      return Optional.empty();
    }
    if (checkpoint.getName() != null) {
      return Optional.of(checkpoint.getName());
    }
    if (checkpoint.getS3() != null) {
      String rest = checkpoint.getS3().substring("s3://".length()).replaceAll("/+$", "");
      return Optional.of(rest.substring(rest.lastIndexOf('/') + 1));
    }
    Optional<String> fromPath = lastElement(checkpoint.getPath());
    if (fromPath.isPresent()) {
      return fromPath;
    }
    VolumeSpec volume = checkpoint.getVolume();
    if (volume != null && volume.getHostPath() != null) {
      return lastElement(volume.getHostPath()).or(() -> Optional.of("checkpoint"));
    }
    if (volume != null && volume.getPersistentVolumeClaim() != null) {
      return Optional.of(volume.getPersistentVolumeClaim());
    }
    return Optional.of("checkpoint");
  }

  private static Optional<String> lastElement(String path) {
    if (path == null) {
      return Optional.empty();
    }
    Path normal = Path.of(path).normalize();
    Path last = normal.getFileName();
    String name = last == null ? "" : last.toString();
    return name.isEmpty() || name.equals(".") || name.equals("..") ? Optional.empty() : Optional.of(name);
  }

  private Path localPath(CheckpointSourceSpec checkpoint) throws IOException {
    Path path = paths.resolve(checkpoint.getVolume(), checkpoint.getPath(), FIELD);
    if (!Files.isDirectory(path)) {
      throw new IOException(FIELD + ".path: " + path + " is not a directory (a checkpoint is the directory holding"
          + " config.json, the safetensors weights and the tokenizer)");
    }
    return path;
  }

  private Path fetch(String uri) throws IOException {
    String field = FIELD + ".s3";
    if (remote.isEmpty()) {
      throw new IOException(field + ": reading " + uri + " needs object storage, and this run has none");
    }
    try {
      return remote.get().fetch(uri);
    } catch (IOException e) {
      throw new IOException(field + ": " + uri + ": " + e.getMessage(), e);
    }
  }

  private static Path requireCheckpoint(Path directory, String where) throws IOException {
    if (!Files.isRegularFile(directory.resolve(CONFIG))) {
      throw new IOException(where + ": " + directory + " holds no " + CONFIG + " (not a Hugging Face checkpoint"
          + " directory)");
    }
    return directory;
  }
}
