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
 */
public record BaseManifest(ModelConfig model, String tokenizerSha256, long parameters, ObjectRef weights,
    String origin) {

  public BaseManifest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizerSha256, "tokenizerSha256");
    Objects.requireNonNull(weights, "weights");
  }

  /** A one-line description for logs: model, key, size and SHA-256. */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "%s base %s (%,d parameters, %.1f MB, sha256 %s)", model.name(),
        weights.key(), parameters, weights.size() / 1e6, weights.sha256());
  }
}
