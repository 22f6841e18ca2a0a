package io.fedmllm.hf;

import java.util.List;

/**
 * The vision tower of a checkpoint ({@code vision_config}): a ViT, CLIP-style (class token, {@code pre_layrnorm},
 * bias-free patch convolution) or SigLIP-style (no class token, patch bias; also the SmolVLM / Idefics3 tower).
 *
 * @param head SigLIP's attention-pooling head is on disk ({@code vision_use_head}); no family here uses it
 */
public record VisionConfig(String modelType, int hiddenSize, int intermediateSize, int layers, int attentionHeads,
    int channels, int imageSize, int patchSize, double layerNormEps, String hiddenAct, boolean head) {

  static final List<String> MODEL_TYPES =
      List.of("clip_vision_model", "siglip_vision_model", "smolvlm_vision", "idefics3_vision");

  /** CLIP has a class token and a layer norm before the encoder. */
  public boolean isClip() {
    return modelType.equals("clip_vision_model");
  }

  /** Patches per image side. */
  public int patchesPerSide() {
    return imageSize / patchSize;
  }

  /** Positions in the tower's sequence: the patches, plus the class token for CLIP. */
  public int positions() {
    return patchesPerSide() * patchesPerSide() + (isClip() ? 1 : 0);
  }

  static VisionConfig read(ConfigFields vision, ModelFamily family) throws CheckpointException {
    String type = vision.string("model_type", family == ModelFamily.SMOLVLM ? "smolvlm_vision" : "clip_vision_model");
    if (!MODEL_TYPES.contains(type)) {
      throw vision.error("model_type", "'" + type + "' is not supported (supported: "
          + String.join(", ", MODEL_TYPES) + ")");
    }
    boolean clip = type.equals("clip_vision_model");
    boolean siglip = type.equals("siglip_vision_model");
    boolean idefics = !clip && !siglip;
    int hidden = vision.positiveInt("hidden_size", idefics ? 1152 : 768);
    int intermediate = vision.positiveInt("intermediate_size", 3072);
    int layers = vision.positiveInt("num_hidden_layers", 12);
    int heads = vision.positiveInt("num_attention_heads", idefics ? 16 : 12);
    if (hidden % heads != 0) {
      throw vision.error("num_attention_heads", "is " + heads + ", which does not divide hidden_size " + hidden);
    }
    int channels = vision.positiveInt("num_channels", 3);
    int image = vision.positiveInt("image_size", 224);
    int patch = vision.positiveInt("patch_size", siglip ? 16 : 32);
    if (image % patch != 0) {
      throw vision.error("patch_size", "is " + patch + ", which does not divide image_size " + image);
    }
    double eps = vision.positiveNumber("layer_norm_eps", clip ? 1e-5 : 1e-6);
    String act = vision.string("hidden_act", clip ? "quick_gelu" : "gelu_pytorch_tanh");
    boolean head = siglip && vision.bool("vision_use_head", true);
    return new VisionConfig(type, hidden, intermediate, layers, heads, channels, image, patch, eps, act, head);
  }
}
