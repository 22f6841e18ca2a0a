package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorNamingTest {

  @Test
  void theThreeLlavaSchemesMeetInOneCanonicalName() {
    for (String stored : new String[] {"language_model.model.layers.3.self_attn.q_proj.weight",
        "model.language_model.layers.3.self_attn.q_proj.weight"}) {
      assertEquals(Optional.of("text.layers.3.self_attn.q_proj.weight"),
          TensorNaming.canonical(ModelFamily.LLAVA, stored), stored);
    }
    for (String stored : new String[] {"language_model.lm_head.weight", "lm_head.weight"}) {
      assertEquals(Optional.of("text.lm_head.weight"), TensorNaming.canonical(ModelFamily.LLAVA, stored), stored);
    }
    for (String stored : new String[] {"vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight",
        "vision_tower.encoder.layers.0.mlp.fc1.weight", "model.vision_tower.encoder.layers.0.mlp.fc1.weight"}) {
      assertEquals(Optional.of("vision.encoder.layers.0.mlp.fc1.weight"),
          TensorNaming.canonical(ModelFamily.LLAVA, stored), stored);
    }
    for (String stored : new String[] {"multi_modal_projector.linear_2.bias",
        "model.multi_modal_projector.linear_2.bias"}) {
      assertEquals(Optional.of("connector.linear_2.bias"), TensorNaming.canonical(ModelFamily.LLAVA, stored));
    }
  }

  @Test
  void smolvlmNamesMapToTheSameCanonicalParts() {
    assertEquals(Optional.of("text.layers.0.mlp.down_proj.weight"),
        TensorNaming.canonical(ModelFamily.SMOLVLM, "model.text_model.layers.0.mlp.down_proj.weight"));
    assertEquals(Optional.of("vision.post_layernorm.bias"),
        TensorNaming.canonical(ModelFamily.SMOLVLM, "model.vision_model.post_layernorm.bias"));
    assertEquals(Optional.of("connector.modality_projection.proj.weight"),
        TensorNaming.canonical(ModelFamily.SMOLVLM, "model.connector.modality_projection.proj.weight"));
    assertEquals(Optional.of("text.lm_head.weight"), TensorNaming.canonical(ModelFamily.SMOLVLM, "lm_head.weight"));
  }

  @Test
  void namesOfNoPartAreNotGuessed() {
    assertTrue(TensorNaming.canonical(ModelFamily.LLAVA, "image_newline").isEmpty());
    assertTrue(TensorNaming.canonical(ModelFamily.SMOLVLM, "model.language_model.norm.weight").isEmpty());
  }
}
