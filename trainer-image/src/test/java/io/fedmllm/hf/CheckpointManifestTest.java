package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {

  @TempDir Path tmp;

  @Test
  void matchesTheSizesAndHashesPythonRecordedForEveryGoldenFile() throws Exception {
    for (String variant : Goldens.VARIANTS) {
      List<CheckpointManifest.FileEntry> expected = new ArrayList<>();
      for (JsonNode f : Goldens.meta(variant).get("checkpoint_files")) {
        expected.add(new CheckpointManifest.FileEntry(f.get("name").asText(), f.get("size").asLong(),
            f.get("sha256").asText()));
      }
      assertEquals(new CheckpointManifest(expected), CheckpointManifest.of(Goldens.checkpoint(variant)), variant);
    }
  }

  @Test
  void differencesNameEveryChangedMissingAndExtraFile() throws Exception {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("c"));
    CheckpointManifest recorded = CheckpointManifest.of(dir);
    assertEquals(List.of(), recorded.differences(CheckpointManifest.fromJson(recorded.toJson())));
    Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
    byte[] shard = Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors"));
    shard[shard.length - 1] ^= 1;
    Files.write(dir.resolve("model-00002-of-00002.safetensors"), shard);
    Files.delete(dir.resolve("chat_template.jinja"));
    Files.writeString(dir.resolve("extra.txt"), "x");
    Files.createDirectories(dir.resolve(".cache"));
    Files.writeString(dir.resolve(".cache/ignored"), "hidden files are not part of the checkpoint");
    List<String> diff = recorded.differences(CheckpointManifest.of(dir));
    assertEquals(4, diff.size(), diff.toString());
    assertEquals("chat_template.jinja: missing", diff.get(0));
    assertEquals(true, diff.get(1).startsWith("model-00002-of-00002.safetensors: sha256 "), diff.get(1));
    assertEquals(true, diff.get(2).startsWith("tokenizer_config.json: 2 bytes, recorded "), diff.get(2));
    assertEquals("extra.txt: not in the record", diff.get(3));
  }

  @Test
  void aMissingDirectoryIsNamed() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> CheckpointManifest.of(tmp.resolve("absent")));
    assertEquals(tmp.resolve("absent") + ": not a checkpoint directory (does not exist or is not a directory)",
        e.getMessage());
  }
}
