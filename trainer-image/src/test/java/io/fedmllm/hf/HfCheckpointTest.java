package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedmllm.tensor.NamedTensor;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.SafetensorsFormatException;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {

  @TempDir Path tmp;

  @Test
  void everyGoldenCheckpointOpensWithEveryStoredTensorUsedOrReportedOnce() throws Exception {
    for (String variant : Goldens.VARIANTS) {
      List<String> reports = new ArrayList<>();
      try (HfCheckpoint checkpoint = HfCheckpoint.open(Goldens.checkpoint(variant), reports::add)) {
        List<String> stored = new ArrayList<>();
        Goldens.meta(variant).get("state_dict_names").forEach(n -> stored.add(n.asText()));
        int expected = ExpectedTensors.of(checkpoint.config()).size();
        assertEquals(stored.size(), expected + checkpoint.unused().size(), variant);
        if (variant.equals("llava-siglip-qwen2")) {
          assertEquals(11, checkpoint.unused().size(), checkpoint.unused().toString());
          assertTrue(checkpoint.unused().stream().allMatch(n -> n.startsWith("vision_tower.vision_model.head.")));
          assertEquals(1, reports.size(), reports.toString());
          assertTrue(reports.get(0).contains("11 stored tensor(s) not used by the model: "
              + "vision_tower.vision_model.head.attention.in_proj_bias, "), reports.get(0));
        } else {
          assertEquals(List.of(), checkpoint.unused(), variant);
          assertEquals(List.of(), reports, variant);
        }
      }
    }
  }

  @Test
  void widenedValuesMatchWhatTorchReadFromTheSameFiles() throws Exception {
    for (String variant : Goldens.VARIANTS) {
      JsonNode sums = Goldens.meta(variant).get("tensor_sums");
      Path dir = Goldens.checkpoint(variant);
      int checked = 0;
      for (Path file : CheckpointWeights.weightFiles(dir)) {
        try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(file)) {
          for (var entry : reader.entries()) {
            float[] data = reader.read(entry).data();
            double sum = 0;
            double squares = 0;
            for (float x : data) {
              sum += x;
              squares += (double) x * x;
            }
            JsonNode expected = sums.get(entry.name());
            String what = variant + " " + entry.name() + " " + entry.dtype();
            assertEquals(expected.get(2).asDouble(), data[0], 0.0, what);
            assertEquals(expected.get(0).asDouble(), sum, 1e-9 * Math.max(1, Math.abs(sum)), what);
            assertEquals(expected.get(1).asDouble(), squares, 1e-9 * squares, what);
            checked++;
          }
        }
      }
      assertEquals(sums.size(), checked, variant);
    }
  }

  @Test
  void theInMemoryNamingSchemeLoadsTheSameTensors() throws Exception {
    Path original = Goldens.checkpoint("llava-clip-llama");
    Path renamed = Goldens.copy("llava-clip-llama", tmp.resolve("in-memory"));
    TensorMap.Builder tensors = TensorMap.builder();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(original.resolve("model.safetensors"))) {
      for (var entry : reader.entries()) {
        String name = entry.name()
            .replaceFirst("^language_model\\.model\\.", "model.language_model.")
            .replaceFirst("^language_model\\.lm_head\\.", "lm_head.")
            .replaceFirst("^vision_tower\\.", "model.vision_tower.")
            .replaceFirst("^multi_modal_projector\\.", "model.multi_modal_projector.");
        tensors.put(name, reader.read(entry));
      }
    }
    Safetensors.write(renamed.resolve("model.safetensors"), tensors.build());
    try (HfCheckpoint a = HfCheckpoint.open(original, r -> {}); HfCheckpoint b = HfCheckpoint.open(renamed, r -> {})) {
      for (String name : ExpectedTensors.of(a.config()).keySet()) {
        assertEquals(a.tensor(name), b.tensor(name), name);
      }
      assertEquals(a.tensor("text.lm_head.weight"), b.outputHead());
    }
  }

  @Test
  void aTiedHeadIsTheEmbeddingMatrix() throws Exception {
    try (HfCheckpoint c = HfCheckpoint.open(Goldens.checkpoint("smolvlm"), r -> {})) {
      assertEquals(c.tensor("text.embed_tokens.weight"), c.outputHead());
      assertArrayEquals(new long[] {300, 64}, c.outputHead().shape());
    }
  }

  @Test
  void aMisShapedTensorNamesItAndItsFile() throws Exception {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("shape"));
    ObjectNode config = Goldens.config(dir);
    ((ObjectNode) config.get("text_config")).put("num_key_value_heads", 2);
    Goldens.writeConfig(dir, config);
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir, r -> {}));
    assertEquals(dir.resolve("model-00001-of-00002.safetensors") + ": tensor "
        + "'language_model.model.layers.0.self_attn.k_proj.weight' has shape [16, 64], config.json implies [32, 64]",
        e.getMessage());
  }

  @Test
  void aMissingTensorIsNamed() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("missing"));
    TensorMap.Builder kept = TensorMap.builder();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(dir.resolve("model.safetensors"))) {
      for (Iterator<NamedTensor> it = reader.iterator(); it.hasNext(); ) {
        NamedTensor t = it.next();
        if (!t.name().equals("model.text_model.layers.1.mlp.up_proj.weight")) {
          kept.put(t.name(), t.tensor());
        }
      }
    }
    Safetensors.write(dir.resolve("model.safetensors"), kept.build());
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir, r -> {}));
    assertEquals(dir + ": tensor text.layers.1.mlp.up_proj.weight (canonical name) missing from "
        + "[model.safetensors], which config.json (SMOLVLM, 2 decoder layers) requires", e.getMessage());
  }

  @Test
  void aTruncatedShardIsRefusedNamingIt() throws Exception {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("truncated"));
    Path shard = dir.resolve("model-00002-of-00002.safetensors");
    long size = Files.size(shard);
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
      ch.truncate(size - 100);
    }
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> HfCheckpoint.open(dir, r -> {}));
    assertTrue(e.getMessage().startsWith(shard + ": tensors cover "), e.getMessage());
    assertTrue(e.getMessage().contains("bytes but the data section has"), e.getMessage());
  }

  @Test
  void aShardTheIndexNamesMustExistAndHoldWhatTheIndexSays() throws Exception {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("index"));
    Files.move(dir.resolve("model-00002-of-00002.safetensors"), dir.resolve("elsewhere.safetensors"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir, r -> {}));
    assertEquals(dir.resolve("model.safetensors.index.json") + ": shard 'model-00002-of-00002.safetensors' is missing",
        e.getMessage());

    Path moved = Goldens.copy("llava-siglip-qwen2", tmp.resolve("index2"));
    ObjectNode index = (ObjectNode) Goldens.JSON.readTree(moved.resolve("model.safetensors.index.json").toFile());
    ObjectNode map = (ObjectNode) index.get("weight_map");
    String first = map.fieldNames().next();
    String wrong = map.get(first).asText().equals("model-00001-of-00002.safetensors")
        ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
    map.put(first, wrong);
    Goldens.JSON.writeValue(moved.resolve("model.safetensors.index.json").toFile(), index);
    e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(moved, r -> {}));
    assertEquals(moved.resolve("model.safetensors.index.json") + ": tensor '" + first + "' is listed in " + wrong
        + " but that shard does not hold it", e.getMessage());
  }

  @Test
  void noWeightsOrTwoNamesForOneWeightAreErrors() throws Exception {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("none"));
    Files.delete(dir.resolve("model.safetensors"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir, r -> {}));
    assertEquals(dir + ": neither model.safetensors nor model.safetensors.index.json found", e.getMessage());

    Path twice = Goldens.copy("smolvlm", tmp.resolve("twice"));
    TensorMap.Builder all = TensorMap.builder();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(twice.resolve("model.safetensors"))) {
      for (var entry : reader.entries()) {
        all.put(entry.name(), reader.read(entry));
      }
      all.put("text_model.norm.weight", reader.read("model.text_model.norm.weight"));
    }
    Safetensors.write(twice.resolve("model.safetensors"), all.build());
    e = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(twice, r -> {}));
    assertTrue(e.getMessage().contains("'text_model.norm.weight' is the same weight as 'model.text_model.norm.weight'")
        || e.getMessage().contains("'model.text_model.norm.weight' is the same weight as 'text_model.norm.weight'"),
        e.getMessage());

    assertThrows(CheckpointException.class, () -> HfCheckpoint.open(tmp.resolve("absent"), r -> {}));
  }

  @Test
  void everyExpectedTensorIsAFloatMatrixOrVectorOfTheConfiguredWidth() throws Exception {
    try (HfCheckpoint c = HfCheckpoint.open(Goldens.checkpoint("llava-clip-llama"), r -> {})) {
      Map<String, long[]> expected = ExpectedTensors.of(c.config());
      assertArrayEquals(new long[] {32, 64}, expected.get("text.layers.0.self_attn.k_proj.weight"), "GQA 4/2");
      assertArrayEquals(new long[] {17, 32}, expected.get("vision.embeddings.position_embedding.weight"), "CLS");
      assertArrayEquals(new long[] {64, 32}, expected.get("connector.linear_1.weight"));
      Tensor q = c.tensor("text.layers.0.self_attn.q_proj.weight");
      assertArrayEquals(new long[] {64, 64}, q.shape());
    }
    try (HfCheckpoint c = HfCheckpoint.open(Goldens.checkpoint("smolvlm"), r -> {})) {
      assertArrayEquals(new long[] {64, 128},
          ExpectedTensors.of(c.config()).get("connector.modality_projection.proj.weight"), "pixel shuffle 2x2");
    }
  }
}
