package io.fedmllm.tensor.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoraNamesTest {

  @Test
  void namesFollowPeft() {
    assertEquals("base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight", LoraNames.a(3, "q_proj"));
    assertEquals("base_model.model.model.layers.27.self_attn.o_proj.lora_B.weight", LoraNames.b(27, "o_proj"));
  }

  @Test
  void parseInvertsNaming() {
    LoraNames.LoraTensorName n = LoraNames.parse(LoraNames.b(12, "v_proj")).orElseThrow();
    assertEquals(
        new LoraNames.LoraTensorName("model.layers.12.self_attn.v_proj", 12, "v_proj", LoraNames.Factor.B), n);
    assertEquals(LoraNames.a(12, "v_proj"), n.partner());
    assertTrue(LoraNames.parse("base_model.model.model.layers.01.self_attn.q_proj.lora_A.weight").isEmpty());
    assertTrue(LoraNames.parse("model.layers.1.self_attn.q_proj.weight").isEmpty());
    LoraNames.LoraTensorName smol =
        LoraNames.parse("base_model.model.model.text_model.layers.2.mlp.up_proj.lora_A.weight").orElseThrow();
    assertEquals(new LoraNames.LoraTensorName("model.text_model.layers.2.mlp.up_proj", 2, "up_proj",
        LoraNames.Factor.A), smol);
    assertEquals("base_model.model.model.text_model.layers.2.mlp.up_proj.lora_B.weight", smol.partner());
    assertTrue(LoraNames.parse("base_model.model.model.vision_model.encoder.layers.0.self_attn.q_proj.lora_A.weight")
        .isEmpty());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> LoraNames.a(-1, "q_proj"));
    assertThrows(IllegalArgumentException.class, () -> LoraNames.a(0, "q.proj"));
  }
}
