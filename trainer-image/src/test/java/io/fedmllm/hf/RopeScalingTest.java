package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedmllm.hf.nn.RotaryEmbedding;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaled rotary embeddings against transformers' own rope initialisation (tools/hf_reference/rope_reference.py wrote
 * the expected frequencies), and the types we do not compute refused when config.json is read, naming the key.
 */
class RopeScalingTest {

  @TempDir Path tmp;

  @Test
  void linearAndLlama3FrequenciesAreTransformers() throws Exception {
    JsonNode expected;
    try (InputStream in = getClass().getResourceAsStream("/hf-goldens/rope-inverse-frequencies.json")) {
      expected = new ObjectMapper().readTree(in);
    }
    Map<String, RopeParameters> cases = Map.of(
        "linear", new RopeParameters(10000.0, "linear", Map.of("factor", 4.0)),
        "llama3", new RopeParameters(500000.0, "llama3", Map.of("factor", 8.0, "low_freq_factor", 1.0,
            "high_freq_factor", 4.0, "original_max_position_embeddings", 64.0)));
    for (Map.Entry<String, RopeParameters> c : cases.entrySet()) {
      float[] ours = c.getValue().inverseFrequencies(32);
      JsonNode theirs = expected.get(c.getKey()).get("inv_freq");
      assertEquals(theirs.size(), ours.length);
      for (int i = 0; i < ours.length; i++) {
        double t = theirs.get(i).asDouble();
        assertEquals(t, ours[i], Math.abs(t) * 1e-6, c.getKey() + " frequency " + i);
      }
      assertEquals(1.0, expected.get(c.getKey()).get("attention_factor").asDouble());
    }
  }

  @Test
  void dynamicScalingIsTheDefaultWithinTheOriginalContextAndRefusedBeyondIt() throws Exception {
    RopeParameters dynamic = new RopeParameters(10000.0, "dynamic", Map.of("factor", 2.0));
    RopeParameters plain = new RopeParameters(10000.0, "default", Map.of());
    org.junit.jupiter.api.Assertions.assertArrayEquals(plain.inverseFrequencies(16), dynamic.inverseFrequencies(16));
    RotaryEmbedding rope = new RotaryEmbedding(16, dynamic, 8);
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      rope.tables(m, 8);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rope.tables(m, 9));
      assertTrue(e.getMessage().contains("'dynamic'"), e.getMessage());
    }
  }

  @Test
  void anUnsupportedRopeTypeIsRefusedReadingConfigJsonNamingTheKey() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("yarn"));
    ObjectNode config = Goldens.config(dir);
    ((ObjectNode) config.get("text_config").get("rope_parameters")).put("rope_type", "yarn").put("factor", 4.0);
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertEquals(dir.resolve("config.json") + ": text_config.rope_parameters.rope_type 'yarn' is not supported "
        + "(supported: default, linear, dynamic, llama3)", e.getMessage());
  }

  @Test
  void llama3WithoutItsFactorsIsRefusedNamingWhatIsMissing() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("llama3"));
    ObjectNode config = Goldens.config(dir);
    ((ObjectNode) config.get("text_config").get("rope_parameters")).put("rope_type", "llama3").put("factor", 8.0);
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfModelConfig.read(dir));
    assertTrue(e.getMessage().contains("rope_parameters") && e.getMessage().contains("low_freq_factor"),
        e.getMessage());
  }
}
