package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelConfigTest {

  @TempDir Path tmp;

  @Test
  void readsEveryGoldenConfigAsTheGeneratorBuiltIt() throws Exception {
    for (String variant : Goldens.VARIANTS) {
      JsonNode v = Goldens.meta(variant).get("variant");
      HfModelConfig c = HfModelConfig.read(Goldens.checkpoint(variant));
      assertEquals(v.get("family").asText().equals("llava") ? ModelFamily.LLAVA : ModelFamily.SMOLVLM, c.family());
      assertEquals(v.get("dtype").asText(), c.dtype(), variant);
      assertEquals(v.get("decoder").asText(), c.text().modelType(), variant);
      assertEquals(v.get("heads").asInt(), c.text().attentionHeads(), variant);
      assertEquals(v.get("kv_heads").asInt(), c.text().keyValueHeads(), variant);
      assertEquals(v.get("tied").asBoolean(), c.text().tiedEmbeddings(), variant);
      assertEquals(v.get("decoder").asText().equals("qwen2"), c.text().qkvBias(), variant);
      assertFalse(c.text().outputBias(), variant);
      assertEquals(Goldens.meta(variant).get("image_token_id").asInt(), c.imageTokenId(), variant);
      assertEquals(300, c.text().vocabSize());
      assertEquals(64, c.text().hiddenSize());
      assertEquals(96, c.text().intermediateSize());
      assertEquals(16, c.text().headDim());
      assertEquals(32, c.vision().hiddenSize());
      assertEquals(4, c.vision().patchesPerSide());
      assertTrue(c.text().rope().isDefault());
      if (c.connector() instanceof ConnectorConfig.LlavaProjector p) {
        assertEquals(List.of(v.get("feature_layer").asInt()), p.featureLayers(), variant);
        assertEquals(v.get("strategy").asText(), p.selectStrategy(), variant);
        assertEquals(v.get("vision").asText().equals("clip"), c.vision().isClip(), variant);
      } else {
        assertEquals(2, assertInstanceOf(ConnectorConfig.PixelShuffle.class, c.connector()).scaleFactor());
        assertEquals("smolvlm_vision", c.vision().modelType());
      }
    }
    assertEquals(10000.0, HfModelConfig.read(Goldens.checkpoint("llava-clip-llama")).text().rope().theta());
    assertEquals(1000000.0, HfModelConfig.read(Goldens.checkpoint("llava-siglip-qwen2")).text().rope().theta());
    assertEquals(500000.0, HfModelConfig.read(Goldens.checkpoint("smolvlm-split")).text().rope().theta());
    assertTrue(HfModelConfig.read(Goldens.checkpoint("llava-siglip-qwen2")).vision().head());
  }

  @Test
  void hubSpellingsReadTheSameAsTransformers5() throws Exception {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("hub"));
    ObjectNode config = Goldens.config(dir);
    ObjectNode text = (ObjectNode) config.get("text_config");
    double theta = text.get("rope_parameters").get("rope_theta").asDouble();
    text.remove("rope_parameters");
    text.put("rope_theta", theta);
    config.put("torch_dtype", config.remove("dtype").asText());
    config.put("image_token_id", config.remove("image_token_index").asInt());
    Goldens.writeConfig(dir, config);
    assertEquals(HfModelConfig.read(Goldens.checkpoint("llava-siglip-qwen2")), HfModelConfig.read(dir));
  }

  @Test
  void ropeScalingIsRecordedWithItsFactors() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("rope"));
    ObjectNode config = Goldens.config(dir);
    ObjectNode rope = (ObjectNode) config.get("text_config").get("rope_parameters");
    rope.put("rope_type", "linear").put("factor", 4.0);
    Goldens.writeConfig(dir, config);
    RopeParameters parsed = HfModelConfig.read(dir).text().rope();
    assertEquals("linear", parsed.type());
    assertEquals(4.0, parsed.scaling().get("factor"));
    assertFalse(parsed.isDefault());
  }

  @Test
  void anUnknownModelTypeIsOneLineListingTheSupportedOnes() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("t"));
    ObjectNode config = Goldens.config(dir);
    config.put("model_type", "qwen2_vl");
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": model_type 'qwen2_vl' is not supported (supported: smolvlm, "
        + "idefics3, llava)", e.getMessage());
  }

  @Test
  void anUnknownArchitectureIsOneLineListingTheSupportedOnes() throws Exception {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("a"));
    ObjectNode config = Goldens.config(dir);
    config.putArray("architectures").add("LlavaNextForConditionalGeneration");
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": architectures entry "
        + "'LlavaNextForConditionalGeneration' is not supported (supported: SmolVLMForConditionalGeneration, "
        + "Idefics3ForConditionalGeneration, LlavaForConditionalGeneration)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void anUnsupportedDecoderOrBadValueNamesTheKeyPath() throws Exception {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("d"));
    ObjectNode config = Goldens.config(dir);
    ((ObjectNode) config.get("text_config")).put("model_type", "gemma");
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertTrue(e.getMessage().contains("text_config.model_type 'gemma' is not supported (supported: llama, "
        + "mistral, qwen2)"), e.getMessage());

    ((ObjectNode) config.get("text_config")).put("model_type", "llama").put("num_key_value_heads", 3);
    Goldens.writeConfig(dir, config);
    e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": text_config.num_key_value_heads is 3, which does not divide "
        + "num_attention_heads 4", e.getMessage());

    ((ObjectNode) config.get("text_config")).put("num_key_value_heads", 2);
    ((ObjectNode) config.get("vision_config")).put("patch_size", "8");
    Goldens.writeConfig(dir, config);
    e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": vision_config.patch_size is \"8\", expected an integer",
        e.getMessage());

    ((ObjectNode) config.get("vision_config")).put("patch_size", 8);
    config.put("image_token_index", 300);
    Goldens.writeConfig(dir, config);
    e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": image_token_index is 300, outside the vocabulary of 300",
        e.getMessage());

    config.put("image_token_index", 4);
    config.remove("text_config");
    Goldens.writeConfig(dir, config);
    e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": text_config missing", e.getMessage());
  }

  @Test
  void hubConfigsThatOmitSizesGetTheConfigClassDefaults() throws Exception {
    // llava-1.5-7b-hf's text_config names only these keys; LlamaConfig supplies the rest
    String json = "{\"architectures\":[\"LlavaForConditionalGeneration\"],\"model_type\":\"llava\","
        + "\"image_token_index\":32000,\"torch_dtype\":\"float16\",\"vision_feature_layer\":-2,"
        + "\"text_config\":{\"model_type\":\"llama\",\"max_position_embeddings\":4096,\"rms_norm_eps\":1e-05,"
        + "\"vocab_size\":32064},\"vision_config\":{\"hidden_size\":1024,\"image_size\":336,"
        + "\"intermediate_size\":4096,\"model_type\":\"clip_vision_model\",\"num_attention_heads\":16,"
        + "\"num_hidden_layers\":24,\"patch_size\":14,\"projection_dim\":768}}";
    java.nio.file.Files.writeString(tmp.resolve("config.json"), json);
    HfModelConfig c = HfModelConfig.read(tmp);
    assertEquals(new TextConfig("llama", 32064, 4096, 11008, 32, 32, 32, 128, 1e-5,
        new RopeParameters(10000.0, "default", java.util.Map.of()), false, false, false, "silu", 4096, false),
        c.text());
    assertEquals(577, c.vision().positions());
    assertEquals("float16", c.dtype());
    assertEquals(32000, c.imageTokenId());
  }

  @Test
  void aMissingConfigNamesTheFile() {
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(tmp));
    assertEquals(tmp.resolve("config.json") + ": missing (a checkpoint directory needs config.json)",
        e.getMessage());
  }
}
