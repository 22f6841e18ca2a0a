package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fedmllm.train.Pretrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A base shipped in the image's read-only directory is loaded instead of pre-trained, and never written to. */
class BaseCacheBundledTest {

  @Test
  void bundledBaseIsLoadedWithoutPretraining(@TempDir Path cache, @TempDir Path bundledDir) throws Exception {
    ModelConfig config = ModelConfig.preset("tiny");
    TextTokenizer tokenizer = TextTokenizer.builtIn();
    Pretrainer.Settings settings = BaseCache.defaultSettings(config);
    BaseCache shippedLayout = new BaseCache(bundledDir);
    Path shipped = shippedLayout.weightsFile(config, tokenizer, settings, 5L);
    Files.createDirectories(shipped.getParent());
    try (BaseModel base = BaseModel.initialise(config, tokenizer, 3L)) {
      base.save(shipped);
    }
    byte[] expected = Files.readAllBytes(shipped);

    BaseCache withBundle = new BaseCache(cache, Optional.of(bundledDir));
    int before = BaseCache.pretrainings();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (BaseModel loaded = withBundle.loadOrPretrain(config, tokenizer, settings, 5L,
        new PrintStream(log, true, StandardCharsets.UTF_8))) {
      Path copy = cache.resolve("copy.safetensors");
      loaded.save(copy);
      assertArrayEquals(expected, Files.readAllBytes(copy), "the bundled weights, byte for byte");
    }
    assertEquals(before, BaseCache.pretrainings(), "no pre-training");
    assertFalse(Files.exists(withBundle.weightsFile(config, tokenizer, settings, 5L)),
        "the bundle is read, not copied into the cache");
    assertEquals(true, log.toString(StandardCharsets.UTF_8).contains("loading the bundled tiny base"));
  }
}
