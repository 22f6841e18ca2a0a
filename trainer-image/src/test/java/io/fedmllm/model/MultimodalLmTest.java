package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fedmllm.data.Sample;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultimodalLmTest {
  private static BaseModel base;
  private static Batch batch;
  private static final LoraConfig LORA = LoraConfig.paperDefault();

  @BeforeAll
  static void setUp() {
    base = ModelFixtures.tinyBase(3);
    List<Sample> samples = ModelFixtures.mixedSamples(6);
    batch = base.batch(samples, base.newImagePreprocessor());
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  private static float[] logits(TensorMap adapter) {
    try (NDManager m = base.manager().newSubManager();
        LoraWeights weights = adapter == null ? null : LoraWeights.fromTensors(base, LORA, adapter, m)) {
      NDList in = batch.inputs(m);
      return base.lm()
          .logits(ForwardContext.inference(m, weights), in.get(0), in.get(1), in.get(2), in.get(3))
          .toFloatArray();
    }
  }

  @Test
  void adapterWithZeroBReproducesTheBaseExactly() {
    TensorMap fresh = LoraWeights.initialTensors(base.config(), LORA, 9);
    assertArrayEquals(logits(null), logits(fresh), 0f, "B = 0 must leave every logit bit-identical");
  }

  @Test
  void nonZeroBChangesTheOutput() {
    TensorMap fresh = LoraWeights.initialTensors(base.config(), LORA, 9);
    String name = LoraNames.b(1, "v_proj");
    float[] values = new float[fresh.get(name).size()];
    Arrays.fill(values, 0.05f);
    assertFalse(Arrays.equals(logits(null), logits(fresh.with(name, new Tensor(fresh.get(name).shape(), values)))));
  }

  @Test
  void adapterCoversQkvoOfEveryDecoderLayerWithPeftShapes() {
    TensorMap fresh = LoraWeights.initialTensors(base.config(), LORA, 1);
    assertEquals(base.config().layers() * 4 * 2, fresh.size());
    long[] a = fresh.get(LoraNames.a(0, "q_proj")).shape();
    long[] bShape = fresh.get(LoraNames.b(0, "o_proj")).shape();
    assertArrayEquals(new long[] {LORA.r(), base.config().dim()}, a);
    assertArrayEquals(new long[] {base.config().dim(), LORA.r()}, bShape);
  }

  @Test
  void sampleWithoutImageIgnoresImageSlots() {
    // Two batches that differ only in the pixels of a sample whose image is marked absent must score the same.
    Sample textOnly = ModelFixtures.mixedSamples(3).get(2);
    assertFalse(textOnly.hasImage());
    Batch one = base.batch(List.of(textOnly), base.newImagePreprocessor());
    float[] noise = one.images().clone();
    Arrays.fill(noise, 0.7f);
    Batch two = new Batch(one.size(), one.imageSize(), one.textLength(), noise, one.imagePresent(), one.tokens(),
        one.textMask(), one.targets(), one.lossMask());
    try (NDManager m = base.manager().newSubManager()) {
      NDList a = one.inputs(m);
      NDList b = two.inputs(m);
      ForwardContext ctx = ForwardContext.inference(m, null);
      assertArrayEquals(
          base.lm().logits(ctx, a.get(0), a.get(1), a.get(2), a.get(3)).toFloatArray(),
          base.lm().logits(ctx, b.get(0), b.get(1), b.get(2), b.get(3)).toFloatArray(),
          0f);
    }
  }

  @Test
  void baseWeightsRoundTripThroughSafetensorsExactly(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.safetensors");
    base.save(file);
    try (BaseModel loaded = BaseModel.load(file, base.config(), TextTokenizer.builtIn())) {
      assertEquals(base.weights(), loaded.weights());
    }
  }

  @Test
  void baseFromAnotherArchitectureIsRejectedNamingTheTensor(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.safetensors");
    base.save(file);
    ModelConfig other = ModelConfig.preset("small");
    IOException e = assertThrows(IOException.class, () -> BaseModel.load(file, other, TextTokenizer.builtIn()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void liveAdapterRoundTripsToTheHeapExactly() {
    TensorMap fresh = LoraWeights.initialTensors(base.config(), LORA, 4);
    try (NDManager m = base.manager().newSubManager();
        LoraWeights weights = LoraWeights.fromTensors(base, LORA, fresh, m)) {
      assertEquals(fresh, weights.toTensors());
    }
  }
}
