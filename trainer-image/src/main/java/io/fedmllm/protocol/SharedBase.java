package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.storage.Checksums;
import io.fedmllm.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The federation's one base model in storage, under the commit rule: the weights first under their content-addressed
 * key ({@code base/weights-SHA.safetensors}), then {@code base/base.json} naming them, with If-None-Match. Only the
 * aggregator publishes; a second aggregator that loses the race adopts the committed base. Readers verify size and
 * SHA-256 before using a byte, and may keep a local copy keyed by the full SHA-256, so a restarted process on the
 * same disk does not download it again.
 */
public final class SharedBase {

  private final ManifestStore manifests;
  private final FederationLayout layout;

  public SharedBase(ManifestStore manifests, FederationLayout layout) {
    this.manifests = manifests;
    this.layout = layout;
  }

  /** The committed base, if any. */
  public Optional<BaseManifest> published() {
    return manifests.read(layout.base(), BaseManifest.class);
  }

  /**
   * Publishes base weights unless a base is committed already.
   *
   * @param weights the base as a safetensors file ({@code BaseModel.encode()})
   * @return the committed manifest: this one, or the one another aggregator committed first
   */
  public BaseManifest publish(byte[] weights, ModelConfig model, String tokenizerSha256, long parameters,
      String origin) {
    ObjectRef ref = manifests.putData(weights, layout::baseData);
    BaseManifest manifest = new BaseManifest(model, tokenizerSha256, parameters, ref, origin);
    if (manifests.publish(layout.base(), manifest)) {
      return manifest;
    }
    return published().orElseThrow(() -> new ProtocolException(layout.base() + " disappeared"));
  }

  /**
   * Publishes a checkpoint's record unless a base is committed already; the checkpoint's bytes stay where they are.
   *
   * @return the committed manifest: this one, or the one another aggregator committed first
   */
  public BaseManifest publishCheckpoint(PublishedCheckpoint checkpoint, long parameters, String origin) {
    BaseManifest manifest = BaseManifest.ofCheckpoint(checkpoint, parameters, origin);
    if (manifests.publish(layout.base(), manifest)) {
      return manifest;
    }
    return published().orElseThrow(() -> new ProtocolException(layout.base() + " disappeared"));
  }

  /** The published weights, verified against the manifest's size and SHA-256. */
  public byte[] download(BaseManifest base) {
    return manifests.readData(base.weights());
  }

  /**
   * The verified bytes of the base.
   *
   * @param fromLocalCopy whether they came from the local copy (no download)
   * @param copyProblem why the local copy could not be written, or null
   */
  public record Fetched(byte[] bytes, boolean fromLocalCopy, String copyProblem) {}

  /**
   * The published weights, from {@code directory/<sha256>.safetensors} when that file holds exactly them, otherwise
   * downloaded, verified and then written there atomically (a copy that cannot be written is reported, not fatal).
   */
  public Fetched fetch(BaseManifest base, Path directory) {
    Path copy = directory.resolve(base.weights().sha256() + ".safetensors");
    try {
      if (Files.isRegularFile(copy) && Files.size(copy) == base.weights().size()) {
        byte[] bytes = Files.readAllBytes(copy);
        if (Checksums.sha256Hex(bytes).equals(base.weights().sha256())) {
          return new Fetched(bytes, true, null);
        }
      }
    } catch (IOException e) {
      // An unreadable copy is replaced by a fresh download below.
    }
    byte[] bytes = download(base);
    try {
      AtomicFiles.write(copy, bytes);
      return new Fetched(bytes, false, null);
    } catch (IOException e) {
      return new Fetched(bytes, false, "cannot keep a local copy at " + copy + ": " + e.getMessage());
    }
  }
}
