package io.fedmllm.hf;

import java.util.List;
import java.util.Optional;

/**
 * Maps the tensor names of the schemes transformers loads to one canonical scheme, the same for every family:
 * {@code text.} + the decoder's own names ({@code text.layers.0.self_attn.q_proj.weight}, {@code text.embed_tokens
 * .weight}, {@code text.norm.weight}, {@code text.lm_head.weight}), {@code vision.} + the tower's own names
 * ({@code vision.encoder.layers.0.mlp.fc1.weight}, {@code vision.post_layernorm.weight}) and {@code connector.} + the
 * connector's ({@code connector.linear_1.weight}, {@code connector.modality_projection.proj.weight}).
 *
 * <p>Schemes: hub LLaVA ({@code language_model.model.*}, {@code language_model.lm_head.*},
 * {@code vision_tower.vision_model.*}, {@code multi_modal_projector.*}); transformers 5 {@code save_pretrained}
 * (the same but {@code vision_tower.*} without {@code vision_model.}); in memory ({@code model.language_model.*},
 * {@code model.vision_tower.*}, {@code model.multi_modal_projector.*}, {@code lm_head.*}); SmolVLM / Idefics3
 * ({@code model.text_model.*}, {@code model.vision_model.*}, {@code model.connector.*}, {@code lm_head.*}).
 */
public final class TensorNaming {

  private record Rule(String prefix, String canonical) {}

  // longest, most specific prefixes first
  private static final List<Rule> LLAVA = List.of(
      new Rule("language_model.model.", "text."),
      new Rule("language_model.lm_head.", "text.lm_head."),
      new Rule("model.language_model.", "text."),
      new Rule("language_model.", "text."),
      new Rule("lm_head.", "text.lm_head."),
      new Rule("model.vision_tower.vision_model.", "vision."),
      new Rule("vision_tower.vision_model.", "vision."),
      new Rule("model.vision_tower.", "vision."),
      new Rule("vision_tower.", "vision."),
      new Rule("model.multi_modal_projector.", "connector."),
      new Rule("multi_modal_projector.", "connector."));
  private static final List<Rule> SMOLVLM = List.of(
      new Rule("model.text_model.", "text."),
      new Rule("model.vision_model.", "vision."),
      new Rule("model.connector.", "connector."),
      new Rule("lm_head.", "text.lm_head."),
      new Rule("text_model.", "text."),
      new Rule("vision_model.", "vision."),
      new Rule("connector.", "connector."));

  private TensorNaming() {}

  /** The canonical name of a tensor as stored, or empty when the name belongs to no part of the family. */
  public static Optional<String> canonical(ModelFamily family, String stored) {
    for (Rule rule : family == ModelFamily.LLAVA ? LLAVA : SMOLVLM) {
      if (stored.startsWith(rule.prefix)) {
        return Optional.of(rule.canonical + stored.substring(rule.prefix.length()));
      }
    }
    return Optional.empty();
  }
}
