package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from the LoRA settings to PEFT's {@code adapter_config.json}, written to disk and read back. */
class LoraConfigAdapterConfigTest {

  @TempDir Path dir;

  private JsonNode writeAndRead(LoraConfig lora, Path into) throws Exception {
    TensorMap tensors = LoraWeights.initialTensors(ModelConfig.preset("tiny"), lora, 3);
    AdapterFiles.write(into, lora.adapterConfig("fedmllm/tiny", true), tensors);
    assertEquals(lora.adapterConfig("fedmllm/tiny", true), AdapterFiles.read(into).config());
    return new ObjectMapper().readTree(Files.readString(into.resolve(AdapterFiles.CONFIG_FILE)));
  }

  @Test
  void fractionalAlphaAndASubsetOfModulesAreKeptExactly() throws Exception {
    LoraConfig lora = new LoraConfig(16, 12.5, 0.1f, List.of("v_proj", "q_proj"));
    JsonNode json = writeAndRead(lora, dir.resolve("a"));
    assertTrue(json.get("lora_alpha").isDouble(), json.toString());
    assertEquals(12.5, json.get("lora_alpha").doubleValue());
    assertEquals(0.1, json.get("lora_dropout").doubleValue());
    assertEquals(16, json.get("r").intValue());
    assertEquals("[\"v_proj\",\"q_proj\"]", json.get("target_modules").toString());
    assertTrue(json.get("inference_mode").booleanValue());
    assertEquals(12.5 / 16, lora.adapterConfig("m", true).scaling());
    assertEquals((float) (12.5 / 16), lora.scale());
  }

  @Test
  void alphaThatFloatCannotHoldIsWrittenAsTheSpecGaveIt() throws Exception {
    // 0.1 has no exact float; the old float field wrote 0.10000000149011612 (and rounded or truncated it to 0)
    LoraConfig lora = new LoraConfig(4, 0.1, 0.05f, List.of("o_proj"));
    JsonNode json = writeAndRead(lora, dir.resolve("b"));
    assertEquals(0.1, json.get("lora_alpha").doubleValue());
    assertEquals(0.05, json.get("lora_dropout").doubleValue());
    assertEquals("[\"o_proj\"]", json.get("target_modules").toString());
  }

  @Test
  void wholeAlphaIsWrittenAsAnIntegerAsPeftWritesIt() throws Exception {
    JsonNode json = writeAndRead(LoraConfig.paperDefault(), dir.resolve("c"));
    assertTrue(json.get("lora_alpha").isIntegralNumber(), json.toString());
    assertEquals(8, json.get("lora_alpha").intValue());
    assertEquals("[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\"]", json.get("target_modules").toString());
    assertEquals(AdapterConfig.defaults("fedmllm/tiny").withInferenceMode(true),
        LoraConfig.paperDefault().adapterConfig("fedmllm/tiny", true));
  }
}
