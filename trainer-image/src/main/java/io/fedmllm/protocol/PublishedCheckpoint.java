package io.fedmllm.protocol;

import io.fedmllm.hf.CheckpointManifest;
import java.util.Objects;

/**
 * A Hugging Face checkpoint as the federation's base, recorded in {@code base/base.json}: every process reads the
 * checkpoint from its own copy (a volume, or fetched from S3 into its cache) and uses it only when its files have
 * exactly these sizes and SHA-256s, so every adapter is trained on byte-identical weights without the weights
 * passing through the federation's storage.
 *
 * @param name the checkpoint's name ({@code base_model_name_or_path} of the adapters), e.g. {@code
 *     HuggingFaceTB/SmolVLM-256M-Instruct}
 * @param family the model family read from its config.json, e.g. {@code SMOLVLM}
 * @param files every file of the checkpoint directory with size and SHA-256
 */
public record PublishedCheckpoint(String name, String family, CheckpointManifest files) {

  public PublishedCheckpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(files, "files");
  }
}
