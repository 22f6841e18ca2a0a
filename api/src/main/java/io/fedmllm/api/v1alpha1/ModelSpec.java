package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The base model every client fine-tunes: a built-in preset, base weights with their architecture config, or a
 * Hugging Face checkpoint directory.
 */
@ValidationRule(value = CelRules.MODEL_ONE_OF, message = CelRules.MODEL_ONE_OF_MESSAGE)
@ValidationRule(value = CelRules.MODEL_CONFIG_WITH_WEIGHTS, message = CelRules.MODEL_CONFIG_WITH_WEIGHTS_MESSAGE)
@ValidationRule(value = CelRules.HALF_BASE_NEEDS_CHECKPOINT, message = CelRules.HALF_BASE_NEEDS_CHECKPOINT_MESSAGE,
    fieldPath = ".baseDtype")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {

  @JsonPropertyDescription(
      "A built-in base of the trainer image: tiny (tests, quick demos) or small (benchmark). Pre-trained on "
      + "first use and cached.")
  private ModelPreset preset;

  @JsonPropertyDescription(
      "URI of base weights (s3://bucket/key or a path in the trainer image) to use instead of a preset; "
      + "needs config.")
  @Pattern("^(s3://|/).+$")
  private String baseWeights;

  @JsonPropertyDescription("URI of the model config JSON (architecture sizes) that matches baseWeights.")
  @Pattern("^(s3://|/).+$")
  private String config;

  @JsonPropertyDescription(
      "A Hugging Face multimodal checkpoint directory (on a volume, on the machine or under s3://) to fine-tune "
      + "instead of a preset.")
  private CheckpointSourceSpec checkpoint;

  @JsonPropertyDescription(
      "Element type of the checkpoint's frozen weights while training and evaluating: float16 halves the base's "
      + "memory (LoRA, optimiser, norms, softmax and loss stay float32); only with checkpoint.")
  @Default("float32")
  private BaseDtype baseDtype = BaseDtype.FLOAT32;

  public ModelPreset getPreset() {
    return preset;
  }

  public void setPreset(ModelPreset preset) {
    this.preset = preset;
  }

  public String getBaseWeights() {
    return baseWeights;
  }

  public void setBaseWeights(String baseWeights) {
    this.baseWeights = baseWeights;
  }

  public String getConfig() {
    return config;
  }

  public void setConfig(String config) {
    this.config = config;
  }

  public CheckpointSourceSpec getCheckpoint() {
    return checkpoint;
  }

  public void setCheckpoint(CheckpointSourceSpec checkpoint) {
    this.checkpoint = checkpoint;
  }

  public BaseDtype getBaseDtype() {
    return baseDtype;
  }

  public void setBaseDtype(BaseDtype baseDtype) {
    this.baseDtype = baseDtype;
  }
}
