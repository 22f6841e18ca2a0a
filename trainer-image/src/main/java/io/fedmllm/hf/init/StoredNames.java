package io.fedmllm.hf.init;

import io.fedmllm.hf.ModelFamily;

/**
 * Canonical tensor names ({@link io.fedmllm.hf.TensorNaming}) as transformers 5.24's {@code save_pretrained} writes
 * them: LLaVA {@code language_model.model.*}, {@code language_model.lm_head.*}, {@code vision_tower.*},
 * {@code multi_modal_projector.*}; SmolVLM {@code model.text_model.*}, {@code lm_head.*}, {@code model.vision_model.*},
 * {@code model.connector.*}.
 */
final class StoredNames {

  private StoredNames() {}

  static String stored(ModelFamily family, String canonical) {
    boolean llava = family == ModelFamily.LLAVA;
    if (canonical.startsWith("text.lm_head.")) {
      return (llava ? "language_model.lm_head." : "lm_head.") + canonical.substring("text.lm_head.".length());
    }
    if (canonical.startsWith("text.")) {
      return (llava ? "language_model.model." : "model.text_model.") + canonical.substring("text.".length());
    }
    if (canonical.startsWith("vision.")) {
      return (llava ? "vision_tower." : "model.vision_model.") + canonical.substring("vision.".length());
    }
    if (canonical.startsWith("connector.")) {
      return (llava ? "multi_modal_projector." : "model.connector.") + canonical.substring("connector.".length());
    }
    throw new IllegalArgumentException("not a canonical tensor name: " + canonical);
  }
}
