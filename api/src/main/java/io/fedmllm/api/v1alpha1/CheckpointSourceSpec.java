package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Hugging Face checkpoint directory (config.json, model.safetensors or its shards with
 * model.safetensors.index.json, tokenizer.json, tokenizer_config.json, ...): a folder on a volume or on the machine,
 * or an S3 prefix every process fetches into its cache.
 */
@ValidationRule(value = CelRules.CHECKPOINT_ONE_OF, message = CelRules.CHECKPOINT_ONE_OF_MESSAGE)
@ValidationRule(value = CelRules.CHECKPOINT_VOLUME_NEEDS_PATH, message = CelRules.CHECKPOINT_VOLUME_NEEDS_PATH_MESSAGE,
    fieldPath = ".volume")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSourceSpec {

  @JsonPropertyDescription(
      "The checkpoint directory: relative to volume when one is named, otherwise a path on the machine (fedmllm "
      + "local resolves a relative path against the manifest's folder; in a pod it is a path in the image).")
  @Size(min = 1, max = 4096)
  private String path;

  @JsonPropertyDescription(
      "The volume path is on, mounted read-only into the aggregator and every trainer pod (hostPath: also for "
      + "fedmllm local).")
  private VolumeSpec volume;

  @JsonPropertyDescription(
      "s3://bucket/prefix/ of the checkpoint directory, read with the federation's storage credentials: each process "
      + "fetches the files it names (config.json, the index's shards, tokenizer and processor files) into its cache, "
      + "without listing the bucket.")
  @Pattern(ApiPatterns.S3_URI)
  private String s3;

  @JsonPropertyDescription(
      "The checkpoint's name, recorded as base_model_name_or_path in the adapters' adapter_config.json, e.g. "
      + "HuggingFaceTB/SmolVLM-256M-Instruct. Absent: the last element of path or of the s3 prefix.")
  @Pattern(ApiPatterns.MODEL_NAME)
  @Size(min = 1, max = 256)
  private String name;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public VolumeSpec getVolume() {
    return volume;
  }

  public void setVolume(VolumeSpec volume) {
    this.volume = volume;
  }

  public String getS3() {
    return s3;
  }

  public void setS3(String s3) {
    this.s3 = s3;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
