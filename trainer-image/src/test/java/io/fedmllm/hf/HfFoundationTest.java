package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.hf.nn.MultimodalModel;
import io.fedmllm.model.ForwardContext;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelFixtures;
import io.fedmllm.model.PromptEncoder;
import io.fedmllm.model.SampleImages;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.LoraAdapter;
import io.fedmllm.train.Evaluation;
import io.fedmllm.train.LocalTrainer;
import io.fedmllm.train.MultipleChoiceEvaluator;
import io.fedmllm.train.TrainingConfig;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A Hugging Face checkpoint as the federation's base (the committed golden checkpoints): adapter names are PEFT's
 * own, a batch scores exactly what the single-sequence forward pass gives, and the engine's trainer and evaluator run
 * on it unchanged.
 */
class HfFoundationTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");
  private static final LoraConfig QKVO = new LoraConfig(4, 8, 0f, LoraConfig.ALL_PROJECTIONS);

  @Test
  void freshAdaptersHaveTheNamesAndShapesPeftGivesTheSameCheckpoint() throws Exception {
    for (String variant : VARIANTS) {
      TensorMap golden = Safetensors.read(goldens().resolve(variant).resolve("goldens.safetensors")).tensors();
      Map<String, List<Long>> peft = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : golden) {
        if (e.getKey().startsWith("lora.init.")) {
          peft.put(e.getKey().substring("lora.init.".length()), shape(e.getValue().shape()));
        }
      }
      try (HfFoundation base = load(variant)) {
        Map<String, List<Long>> ours = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : base.initialAdapter(QKVO, 1)) {
          ours.put(e.getKey(), shape(e.getValue().shape()));
        }
        assertEquals(new TreeSet<>(peft.keySet()), new TreeSet<>(ours.keySet()), variant);
        assertEquals(peft, new java.util.TreeMap<>(ours), variant);
        AdapterConfig config = base.adapterConfig(QKVO, true);
        assertEquals("test/" + variant, config.baseModelNameOrPath());
        new LoraAdapter(config, base.initialAdapter(QKVO, 1));
        assertTrue(config.targetModules().pattern() != null, "target_modules must be the decoder-only regex");
      }
    }
  }

  @Test
  void aBatchScoresWhatEachSequenceAloneGives() throws Exception {
    for (String variant : VARIANTS) {
      try (HfFoundation base = load(variant); NDManager m = base.manager().newSubManager()) {
        List<Sample> samples = ModelFixtures.mixedSamples(3);
        List<String> answers = samples.stream().map(Sample::answer).toList();
        TensorMap adapter = randomised(base.initialAdapter(QKVO, 3));
        SampleImages images = base.newImageCache();
        try (LoraWeights weights = LoraWeights.fromTensors(base, QKVO, adapter, m)) {
          HfBatch batch = (HfBatch) base.encode(samples, answers, images);
          float[] batched = base.logits(ForwardContext.inference(m, weights), batch).toFloatArray();
          long vocab = base.config().text().vocabSize();
          MultimodalModel alone = base.model().withAdapters(canonical(base, weights));
          for (int b = 0; b < samples.size(); b++) {
            HfBatch one = (HfBatch) base.encode(samples.subList(b, b + 1), answers.subList(b, b + 1), images);
            NDArray logits = alone.logits(m.create(trimmed(one)), one.pixels(m));
            int scored = 0;
            for (int w = 0; w < batch.window(); w++) {
              if (batch.lossMask()[b * batch.window() + w] == 0) {
                continue;
              }
              float[] expected = logits.get(one.firstScored()[0] + w).toFloatArray();
              float[] actual = new float[(int) vocab];
              System.arraycopy(batched, (int) ((b * batch.window() + w) * vocab), actual, 0, (int) vocab);
              assertArrayEquals(expected, actual, 1e-4f, variant + " sample " + b + " position " + w);
              scored++;
            }
            assertTrue(scored > 0);
          }
        }
      }
    }
  }

  @Test
  void theCompletionIsWhatTheTemplatePutsAfterTheGenerationPrompt() throws Exception {
    try (HfFoundation base = load("smolvlm")) {
      Sample sample = ModelFixtures.mixedSamples(1).get(0);
      String completion = PromptEncoder.completion(sample, sample.answer());
      String rendered = HfProcessor.read(goldens().resolve("smolvlm/checkpoint")).template()
          .renderAnswer(true, HfFoundation.userText(sample), completion);
      assertEquals(" " + completion + "<end_of_utterance>\n", rendered);
    }
  }

  @Test
  void trainerAndEvaluatorRunUnchangedOnACheckpoint() throws Exception {
    try (HfFoundation base = load("smolvlm-split")) {
      LoraConfig lora = new LoraConfig(4, 8, 0.05f, List.of("q_proj", "v_proj", "gate_proj"));
      List<Sample> samples = ModelFixtures.mixedSamples(12);
      SampleImages images = base.newImageCache();
      TensorMap global = base.initialAdapter(lora, 1);
      TrainingConfig one = TrainingConfig.paperDefault(4, 1).withLocalSteps(1);
      LocalTrainer trainer = new LocalTrainer(base, lora, one);
      double before = trainer.train(global, samples, images, 0, 5, List.of()).meanLoss();
      TensorMap trained = new LocalTrainer(base, lora, one.withLocalSteps(25))
          .train(global, samples, images, 2e-2, 5, List.of()).adapter();
      double after = trainer.train(trained, samples, images, 0, 5, List.of()).meanLoss();
      assertTrue(after < before * 0.7, "loss " + before + " -> " + after);
      assertTrue(trained.names().stream().anyMatch(n -> n.contains(".mlp.gate_proj.lora_B")));
      Evaluation eval = new MultipleChoiceEvaluator(base, lora).evaluate(Task.HATEFUL, trained, samples, images);
      assertEquals(samples.size(), eval.samples());
      assertTrue(eval.metric() >= 0 && eval.metric() <= 1);
    }
  }

  @Test
  void aHalfPrecisionBaseTrainsItsFloat32AdapterAsTheFloat32BaseDoes() throws Exception {
    Path dir = goldens().resolve("smolvlm-split").resolve("checkpoint");
    LoraConfig lora = new LoraConfig(4, 8, 0.05f, List.of("q_proj", "v_proj", "gate_proj"));
    List<Sample> samples = ModelFixtures.mixedSamples(12);
    TrainingConfig one = TrainingConfig.paperDefault(4, 1).withLocalSteps(1);
    double[][] losses = new double[2][];
    int i = 0;
    for (DataType weights : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
      try (HfFoundation base = HfFoundation.load(dir, "test/smolvlm-split", r -> {}, Device.cpu(), weights)) {
        assertEquals(weights, base.model().decoder().weightType());
        SampleImages images = base.newImageCache();
        TensorMap global = base.initialAdapter(lora, 1);
        LocalTrainer trainer = new LocalTrainer(base, lora, one);
        double before = trainer.train(global, samples, images, 0, 5, List.of()).meanLoss();
        TensorMap trained = new LocalTrainer(base, lora, one.withLocalSteps(25))
            .train(global, samples, images, 2e-2, 5, List.of()).adapter();
        double after = trainer.train(trained, samples, images, 0, 5, List.of()).meanLoss();
        losses[i++] = new double[] {before, after};
      }
    }
    System.out.printf(java.util.Locale.ROOT, "25 LoRA steps: float32 base %.4f -> %.4f, float16 base %.4f -> %.4f%n",
        losses[0][0], losses[0][1], losses[1][0], losses[1][1]);
    assertTrue(losses[1][1] < losses[1][0] * 0.7, "float16 base: loss " + losses[1][0] + " -> " + losses[1][1]);
    assertEquals(losses[0][0], losses[1][0], 1e-2 * losses[0][0], "loss before training");
    assertEquals(losses[0][1], losses[1][1], 5e-2 * losses[0][1], "loss after 25 steps");
  }

  @Test
  void aCheckpointPutOnTheCpuTrainsBitIdenticallyToTheDefaultManager() throws Exception {
    Path dir = goldens().resolve("smolvlm-split").resolve("checkpoint");
    LoraConfig lora = new LoraConfig(4, 8, 0.05f, List.of("q_proj", "v_proj"));
    List<Sample> samples = ModelFixtures.mixedSamples(8);
    TrainingConfig two = TrainingConfig.paperDefault(4, 1).withLocalSteps(2);
    byte[][] adapters = new byte[2][];
    try (HfFoundation byDefault = HfFoundation.load(dir, "test/smolvlm-split", r -> {});
        HfFoundation onCpu = HfFoundation.load(dir, "test/smolvlm-split", r -> {}, Device.cpu())) {
      assertEquals(Device.cpu(), onCpu.manager().getDevice());
      int i = 0;
      for (HfFoundation base : List.of(byDefault, onCpu)) {
        TensorMap trained = new LocalTrainer(base, lora, two)
            .train(base.initialAdapter(lora, 1), samples, base.newImageCache(), 2e-2, 5, List.of()).adapter();
        adapters[i++] = Safetensors.encode(trained, Map.of());
      }
    }
    assertArrayEquals(adapters[0], adapters[1]);
  }

  @Test
  void fedProxOnACheckpointKeepsTheAdapterCloserToTheGlobal() throws Exception {
    try (HfFoundation base = load("llava-siglip-qwen2")) {
      LoraConfig lora = new LoraConfig(4, 8, 0f, LoraConfig.ALL_PROJECTIONS);
      List<Sample> samples = ModelFixtures.mixedSamples(8);
      SampleImages images = base.newImageCache();
      TensorMap global = base.initialAdapter(lora, 2);
      LocalTrainer trainer = new LocalTrainer(base, lora, TrainingConfig.paperDefault(4, 1).withLocalSteps(8));
      TensorMap free = trainer.train(global, samples, images, 1e-2, 3,
          io.fedmllm.strategy.client.ClientStrategy.none().terms(base.decoderLayers(), global)).adapter();
      TensorMap anchored = trainer.train(global, samples, images, 1e-2, 3,
          io.fedmllm.strategy.client.ClientStrategy.fedProx(50.0).terms(base.decoderLayers(), global)).adapter();
      assertTrue(distance(anchored, global) < distance(free, global),
          "FedProx " + distance(anchored, global) + " vs free " + distance(free, global));
    }
  }

  private static double distance(TensorMap a, TensorMap b) {
    double sum = 0;
    for (String name : a.names()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) {
        sum += (x[i] - y[i]) * (double) (x[i] - y[i]);
      }
    }
    return Math.sqrt(sum);
  }

  @Test
  void projectionsNoDecoderHasAreRefusedNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 8, 0f, List.of("fc1")));
    assertTrue(e.getMessage().contains("fc1"), e.getMessage());
    try (io.fedmllm.model.BaseModel tiny = ModelFixtures.tinyBase(1)) {
      e = assertThrows(IllegalArgumentException.class,
          () -> tiny.initialAdapter(new LoraConfig(4, 8, 0f, List.of("gate_proj")), 1));
      assertTrue(e.getMessage().contains("gate_proj"), e.getMessage());
    }
  }

  @Test
  void aTemplateThatCannotRenderAnAnswerRefusesTheCheckpointWhenLoaded(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("ckpt"));
    Path file = dir.resolve(ChatTemplate.JINJA_FILE);
    java.nio.file.Files.writeString(file,
        "{% for m in messages %}{% if m['role'] == 'assistant' %}{{ raise_exception('no answers') }}{% endif %}"
            + "{% endfor %}");
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfFoundation.load(dir, "x", r -> {}));
    assertTrue(e.getMessage().startsWith(file + ": chat template does not render"), e.getMessage());
    assertTrue(e.getMessage().contains("no answers"), e.getMessage());
  }

  private static HfFoundation load(String variant) throws Exception {
    return HfFoundation.load(goldens().resolve(variant).resolve("checkpoint"), "test/" + variant, r -> {});
  }

  private static long[] trimmed(HfBatch one) {
    int used = one.firstScored()[0] + 1;
    for (float mask : one.lossMask()) {
      used += mask > 0 ? 1 : 0;
    }
    return java.util.Arrays.copyOf(one.ids(), used);
  }

  private static LoraAdapters canonical(HfFoundation base, LoraWeights weights) {
    PeftLayout layout = PeftLayout.of(base.config().family());
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
      String module = layout.canonicalModule(e.getKey());
      arrays.put(module + (e.getKey().contains(".lora_A.") ? ".lora_A.weight" : ".lora_B.weight"), e.getValue());
    }
    return LoraAdapters.fromArrays(arrays, QKVO.alpha());
  }

  private static TensorMap randomised(TensorMap adapter) {
    SplittableRandom random = new SplittableRandom(9);
    TensorMap.Builder out = TensorMap.builder();
    for (Map.Entry<String, Tensor> e : adapter) {
      float[] data = e.getValue().data().clone();
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (random.nextGaussian() * 0.2);
      }
      out.put(e.getKey(), new Tensor(e.getValue().shape(), data));
    }
    return out.build();
  }

  private static List<Long> shape(long[] shape) {
    List<Long> out = new ArrayList<>();
    for (long s : shape) {
      out.add(s);
    }
    return out;
  }

  private static Path goldens() throws URISyntaxException {
    return Path.of(HfFoundationTest.class.getResource("/hf-goldens").toURI());
  }
}
