package io.fedmllm.tensor.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFilesTest {

  @TempDir Path dir;

  /** A 2-layer adapter with hidden size 6, rank 2, random values. */
  static TensorMap adapterTensors(int layers, int hidden, int r, long seed) {
    Random random = new Random(seed);
    TensorMap.Builder b = TensorMap.builder();
    for (int layer = 0; layer < layers; layer++) {
      for (String module : LoraNames.ATTENTION_PROJECTIONS) {
        b.put(LoraNames.a(layer, module), gaussian(random, r, hidden));
        b.put(LoraNames.b(layer, module), gaussian(random, hidden, r));
      }
    }
    return b.build();
  }

  private static Tensor gaussian(Random random, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * 0.02);
    }
    return new Tensor(new long[] {rows, cols}, data);
  }

  @Test
  void roundTripIsExactInValuesAndBytes() throws Exception {
    AdapterConfig config = AdapterConfig.of("fedmllm/tiny", 2, 4, 0.05);
    TensorMap tensors = adapterTensors(2, 6, 2, 1);
    Path first = dir.resolve("first");
    AdapterFiles.write(first, config, tensors);
    LoraAdapter back = AdapterFiles.read(first);
    assertEquals(config, back.config());
    assertEquals(tensors, back.tensors());

    Path second = dir.resolve("second");
    AdapterFiles.write(second, back);
    for (String file : List.of(AdapterFiles.MODEL_FILE, AdapterFiles.CONFIG_FILE)) {
      assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
    }
    assertEquals(Map.of("format", "pt"), Safetensors.read(first.resolve(AdapterFiles.MODEL_FILE)).metadata());
  }

  @Test
  void configJsonHasPeftFields() throws Exception {
    AdapterFiles.write(dir, AdapterConfig.defaults("fedmllm/small"), adapterTensors(1, 4, 8, 2));
    String text = Files.readString(dir.resolve(AdapterFiles.CONFIG_FILE));
    JsonNode json = new ObjectMapper().readTree(text);
    assertEquals("LORA", json.get("peft_type").asText());
    assertEquals(8, json.get("r").asInt());
    assertEquals(8, json.get("lora_alpha").asInt());
    assertEquals(0.05, json.get("lora_dropout").asDouble());
    assertEquals("CAUSAL_LM", json.get("task_type").asText());
    assertEquals("none", json.get("bias").asText());
    assertEquals("fedmllm/small", json.get("base_model_name_or_path").asText());
    assertEquals(false, json.get("inference_mode").asBoolean());
    assertEquals("[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\"]", json.get("target_modules").toString());
    assertTrue(text.startsWith("{\n  \"base_model_name_or_path\": \"fedmllm/small\",\n"), text);
  }

  @Test
  void readsAConfigAsPeftWritesIt() throws Exception {
    String peft = """
        {
          "alpha_pattern": {},
          "auto_mapping": null,
          "base_model_name_or_path": "Qwen/Qwen2-0.5B",
          "bias": "none",
          "fan_in_fan_out": false,
          "inference_mode": true,
          "init_lora_weights": true,
          "lora_alpha": 16,
          "lora_dropout": 0.05,
          "modules_to_save": null,
          "peft_type": "LORA",
          "r": 8,
          "rank_pattern": {},
          "revision": null,
          "target_modules": ["q_proj", "v_proj"],
          "task_type": "CAUSAL_LM",
          "use_dora": false,
          "use_rslora": false
        }
        """;
    Path file = dir.resolve("adapter_config.json");
    Files.writeString(file, peft);
    AdapterConfig config = AdapterFiles.readConfig(file);
    assertEquals(List.of("q_proj", "v_proj"), config.targetModules().names());
    assertEquals(2.0, config.scaling());
    assertTrue(config.inferenceMode());
  }

  @Test
  void rejectsInvalidConfigNamingTheFile() throws Exception {
    Path file = dir.resolve("adapter_config.json");
    Files.writeString(file, "{\"peft_type\":\"PREFIX_TUNING\",\"r\":8,\"lora_alpha\":8,\"bias\":\"none\","
        + "\"target_modules\":[\"q_proj\"],\"task_type\":\"CAUSAL_LM\"}");
    IOException e = assertThrows(IOException.class, () -> AdapterFiles.readConfig(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("peft_type"), e.getMessage());
  }

  @Test
  void rejectsTensorsThatDoNotMatchTheConfig() {
    AdapterConfig rank2 = AdapterConfig.of("m", 2, 2, 0.0);
    IllegalArgumentException wrongRank = assertThrows(IllegalArgumentException.class,
        () -> new LoraAdapter(rank2, adapterTensors(1, 4, 3, 1)));
    assertTrue(wrongRank.getMessage().contains("expected"), wrongRank.getMessage());

    TensorMap onlyA = TensorMap.builder().put(LoraNames.a(0, "q_proj"), Tensor.zeros(2, 4)).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraAdapter(rank2, onlyA))
        .getMessage().contains("no partner"));

    TensorMap foreign = TensorMap.builder().put("lm_head.weight", Tensor.zeros(2, 4)).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraAdapter(rank2, foreign))
        .getMessage().contains("not a LoRA factor"));

    AdapterConfig qOnly = new AdapterConfig("m", "none", false, 2, 0, "LORA", 2,
        TargetModules.list(List.of("q_proj")), "CAUSAL_LM");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LoraAdapter(qOnly, adapterTensors(1, 4, 2, 1)))
        .getMessage().contains("does not select"));
  }

  @Test
  void readingAnAdapterWithWrongTensorsNamesTheFile() throws Exception {
    AdapterFiles.write(dir, AdapterConfig.of("m", 2, 2, 0.0), adapterTensors(1, 4, 2, 1));
    Safetensors.write(dir.resolve(AdapterFiles.MODEL_FILE), adapterTensors(1, 4, 3, 1));
    IOException e = assertThrows(IOException.class, () -> AdapterFiles.read(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(AdapterFiles.MODEL_FILE).toString()), e.getMessage());
  }
}
