package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.tensor.lora.LoraNames;
import io.fedmllm.tensor.lora.TargetModules;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeftLayoutTest {

  @Test
  void namesAdaptersAsPeftDoesForEachFamily() {
    assertEquals("base_model.model.model.language_model.layers.3.self_attn.q_proj.lora_A.weight",
        PeftLayout.of(ModelFamily.LLAVA).tensorName("text.layers.3.self_attn.q_proj", LoraNames.Factor.A));
    assertEquals("base_model.model.model.text_model.layers.0.mlp.down_proj.lora_B.weight",
        PeftLayout.of(ModelFamily.SMOLVLM).tensorName("text.layers.0.mlp.down_proj", LoraNames.Factor.B));
  }

  @Test
  void readsTheCanonicalModuleBackAndRefusesOtherFamiliesNames() {
    PeftLayout smol = PeftLayout.of(ModelFamily.SMOLVLM);
    assertEquals("text.layers.12.self_attn.v_proj",
        smol.canonicalModule("base_model.model.model.text_model.layers.12.self_attn.v_proj.lora_B.weight"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smol.canonicalModule(
        "base_model.model.model.language_model.layers.0.self_attn.q_proj.lora_A.weight"));
    assertTrue(e.getMessage().contains("model.language_model.layers.0.self_attn.q_proj.lora_A.weight"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> smol.tensorName("vision.encoder.layers.0.self_attn.q_proj", LoraNames.Factor.A));
  }

  @Test
  void targetModulesSelectDecoderProjectionsOnlyNotTheVisionTower() {
    TargetModules llava = PeftLayout.of(ModelFamily.LLAVA).targetModules(List.of("q_proj", "v_proj"));
    assertTrue(llava.selects("model.language_model.layers.0.self_attn.q_proj"));
    assertTrue(llava.selects("language_model.model.layers.1.self_attn.v_proj"));
    assertFalse(llava.selects("model.language_model.layers.0.self_attn.k_proj"));
    assertFalse(llava.selects("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj"));
    TargetModules smol = PeftLayout.of(ModelFamily.SMOLVLM).targetModules(List.of("q_proj", "gate_proj"));
    assertTrue(smol.selects("model.text_model.layers.2.mlp.gate_proj"));
    assertFalse(smol.selects("model.vision_model.encoder.layers.0.self_attn.q_proj"));
  }

  @Test
  void listFormMatchesBySuffixAsPeftDoes() {
    TargetModules list = TargetModules.list(List.of("q_proj"));
    assertTrue(list.selects("model.layers.0.self_attn.q_proj"));
    assertTrue(list.selects("q_proj"));
    assertFalse(list.selects("model.layers.0.self_attn.qq_proj"));
  }
}
