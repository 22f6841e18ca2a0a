package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.model.ModelConfig;
import java.util.Objects;

/**
 * The federation's one base model ({@code base/base.json}), published by the aggregator with If-None-Match before
 * the first plan: every trainer loads exactly these weights, so all adapters are trained on bit-identical bases.
 *
 * @param model the architecture the weights belong to (trainers need no preset or config file of their own)
 * @param tokenizerSha256 SHA-256 of the tokenizer the base was trained with; a trainer whose tokenizer differs refuses
 * @param parameters number of base parameters, for logs
 * @param weights the safetensors file ({@code base/weights-SHA.safetensors}): key, SHA-256 and size
 * @param origin where the aggregator got the base, e.g. {@code preset tiny} or {@code baseWeights /models/x}
 * @param checkpoint for a Hugging Face checkpoint base, its name and file record (model, tokenizer and weights are
 *     then absent: the checkpoint directory holds them); null for a built-in base
 */
public record BaseManifest(ModelConfig model, String tokenizerSha256, long parameters, ObjectRef weights,
    String origin, PublishedCheckpoint checkpoint) {

  public BaseManifest {
    if (checkpoint == null) {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(tokenizerSha256, "tokenizerSha256");
      Objects.requireNonNull(weights, "weights");
    } else if (model != null || weights != null) {
      throw new IllegalArgumentException("a base is either built-in weights or a checkpoint, not both");
    }
  }

  /** A built-in base whose weights are in storage. */
  public BaseManifest(ModelConfig model, String tokenizerSha256, long parameters, ObjectRef weights, String origin) {
    this(model, tokenizerSha256, parameters, weights, origin, null);
  }

  /** A Hugging Face checkpoint every process reads from its own verified copy. */
  public static BaseManifest ofCheckpoint(PublishedCheckpoint checkpoint, long parameters, String origin) {
    return new BaseManifest(null, null, parameters, null, origin, checkpoint);
  }

  public boolean usesCheckpoint() {
    return checkpoint != null;
  }

  /**
   * What makes two bases the same: the weights' SHA-256, or for a checkpoint the SHA-256 of its files' record (names,
   * sizes and SHA-256s).
   */
  public String identity() {
    return checkpoint == null ? weights.sha256() : checkpointIdentity(checkpoint.files());
  }

  public static String checkpointIdentity(io.fedmllm.hf.CheckpointManifest files) {
    StringBuilder record = new StringBuilder();
    for (io.fedmllm.hf.CheckpointManifest.FileEntry f : files.files()) {
      record.append(f.name()).append(' ').append(f.size()).append(' ').append(f.sha256()).append('\n');
    }
    return io.fedmllm.storage.Checksums.sha256Hex(record.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A one-line description for logs: model, key, size and SHA-256. */
  public String describe() {
    if (checkpoint != null) {
      return String.format(java.util.Locale.ROOT, "%s checkpoint %s (%,d parameters, %d files, %.1f MB, record sha256 %s)",
          checkpoint.family().toLowerCase(java.util.Locale.ROOT), checkpoint.name(), parameters,
          checkpoint.files().files().size(), checkpoint.files().totalSize() / 1e6, identity());
    }
    return String.format(java.util.Locale.ROOT, "%s base %s (%,d parameters, %.1f MB, sha256 %s)", model.name(),
        weights.key(), parameters, weights.size() / 1e6, weights.sha256());
  }
}
