package io.fedmllm.hf.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.hf.ExpectedTensors;
import io.fedmllm.hf.HfModelConfig;
import io.fedmllm.hf.ModelFamily;
import io.fedmllm.hf.TextConfig;
import io.fedmllm.hf.VisionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smolvlm-256m preset's config as our reader parses it (the 1 GB of weights are not written here). */
class RandomCheckpointTest {

  @TempDir Path tmp;

  @Test
  void theSmolVlm256mConfigHasSmolVlm256mInstructsSizesAndAbout256MParameters() throws Exception {
    CheckpointPreset preset = CheckpointPreset.smolvlm256m();
    FamilyTokenizer tokenizer = FamilyTokenizer.of(ModelFamily.SMOLVLM);
    Files.write(tmp.resolve(HfModelConfig.FILE), JsonFiles.bytes(RandomCheckpoint.config(preset, tokenizer)));
    HfModelConfig config = HfModelConfig.read(tmp);
    assertEquals(ModelFamily.SMOLVLM, config.family());
    TextConfig text = config.text();
    assertEquals(49280, text.vocabSize());
    assertEquals(576, text.hiddenSize());
    assertEquals(1536, text.intermediateSize());
    assertEquals(30, text.layers());
    assertEquals(9, text.attentionHeads());
    assertEquals(3, text.keyValueHeads());
    assertEquals(64, text.headDim());
    assertEquals(8192, text.maxPositionEmbeddings());
    assertFalse(text.tiedEmbeddings());
    VisionConfig vision = config.vision();
    assertEquals(768, vision.hiddenSize());
    assertEquals(3072, vision.intermediateSize());
    assertEquals(12, vision.layers());
    assertEquals(12, vision.attentionHeads());
    assertEquals(512, vision.imageSize());
    assertEquals(16, vision.patchSize());
    assertEquals(64, preset.imageTokensPerTile());
    long parameters = 0;
    for (long[] shape : ExpectedTensors.of(config).values()) {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      parameters += n;
    }
    assertTrue(parameters > 250_000_000L && parameters < 262_000_000L, parameters + " parameters");
  }
}
