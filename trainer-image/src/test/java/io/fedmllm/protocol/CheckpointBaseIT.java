package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.hf.CheckpointManifest;
import io.fedmllm.hf.HfFoundation;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.engine.EngineBase;
import io.fedmllm.engine.ObtainedBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint base over a real S3Proxy: the aggregator publishes the record of the checkpoint's files (never its
 * bytes); a trainer's byte-identical copy elsewhere on disk is verified and loaded, a copy with one changed file is
 * refused naming it, and a trainer given no checkpoint directory is told which base it lacks.
 */
class CheckpointBaseIT {

  @TempDir Path dir;
  private ProtocolHarness harness;
  private final FederationLayout layout = new FederationLayout("fed/ckpt");

  @BeforeEach
  void start() throws Exception {
    harness = new ProtocolHarness(dir.resolve("s3"));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void trainersUseTheirOwnCopyOnlyWhenItIsTheRecordedOne() throws Exception {
    Path aggregatorCopy = io.fedmllm.hf.Goldens.copy("smolvlm", dir.resolve("agg"));
    Path trainerCopy = io.fedmllm.hf.Goldens.copy("smolvlm", dir.resolve("trainer"));
    SharedBase shared = new SharedBase(harness.connect(new FederationMetrics()), layout);
    BaseManifest published;
    try (ObtainedBase obtained = ObtainedBase.checkpoint(
        HfFoundation.load(aggregatorCopy, "test/smolvlm", line -> {}), "test/smolvlm",
        CheckpointManifest.of(aggregatorCopy))) {
      published = obtained.publish(shared, "test");
      assertEquals(obtained.identity(), published.identity());
    }
    assertTrue(published.usesCheckpoint());
    assertEquals("SMOLVLM", published.checkpoint().family());
    try (java.util.stream.Stream<Path> stored = Files.walk(dir.resolve("s3"))) {
      assertTrue(stored.noneMatch(p -> p.getFileName().toString().contains("safetensors")), "no weights in storage");
    }

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (FoundationModel base = EngineBase.load(shared, published, Optional.empty(), Optional.of(trainerCopy),
        "client-a", new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertEquals(2, base.decoderLayers());
    }
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("client-a: base: loaded the smolvlm checkpoint"),
        log.toString(StandardCharsets.UTF_8));

    Files.writeString(trainerCopy.resolve("tokenizer_config.json"),
        Files.readString(trainerCopy.resolve("tokenizer_config.json")).replace("<pad>", "<pa>"));
    ProtocolException changed = assertThrows(ProtocolException.class, () -> EngineBase.load(shared, published,
        Optional.empty(), Optional.of(trainerCopy), "client-a", new PrintStream(new ByteArrayOutputStream())));
    assertTrue(changed.getMessage().contains("tokenizer_config.json: ") && changed.getMessage().contains("recorded"),
        changed.getMessage());

    ProtocolException none = assertThrows(ProtocolException.class, () -> EngineBase.load(shared, published,
        Optional.empty(), Optional.empty(), "client-b", new PrintStream(new ByteArrayOutputStream())));
    assertTrue(none.getMessage().contains("spec.model.checkpoint"), none.getMessage());
  }
}
