package io.fedmllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.hf.ModelFamily;
import io.fedmllm.hf.PeftLayout;
import io.fedmllm.tensor.NamedTensor;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import io.fedmllm.tensor.lora.TargetModules;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedmllm logits} against transformers' logits of the committed goldens, with adapters and bad inputs. */
class LogitsCommandTest {

  private static final List<String> VARIANTS =
      List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");
  private static final String PROMPT = "What is shown in the picture? Answer briefly.";
  private static final String SMOLVLM_Q_PROJ = "model.text_model.layers.1.self_attn.q_proj.weight";

  @TempDir Path tmp;

  @Test
  void logitsOfEveryGoldenEqualTransformersWithAndWithoutTheImage() throws Exception {
    for (String variant : VARIANTS) {
      TensorMap golden = Safetensors.read(goldens().resolve(variant).resolve("goldens.safetensors")).tensors();
      Path withImage = tmp.resolve(variant + "-mm.safetensors");
      Run run = run("logits", "--model", checkpoint(variant).toString(), "--image", image(variant).toString(),
          "--prompt", PROMPT, "--out", withImage.toString());
      assertEquals(0, run.code, variant + ": " + run.err);
      assertSameLogits(golden, "mm", Safetensors.read(withImage).tensors(), variant);

      Path textOnly = tmp.resolve(variant + "-text.safetensors");
      run = run("logits", "--model", checkpoint(variant).toString(), "--prompt", PROMPT, "--out",
          textOnly.toString());
      assertEquals(0, run.code, variant + ": " + run.err);
      assertSameLogits(golden, "text", Safetensors.read(textOnly).tensors(), variant);
    }
  }

  @Test
  void anAdapterGivesTheLogitsOfTheBaseWithTheLoraProductMergedIntoItsWeights() throws Exception {
    String variant = "smolvlm";
    Path adapter = tmp.resolve("adapter");
    Map<String, Tensor> lora = new LinkedHashMap<>();
    Tensor a = random(new long[] {4, 64}, 1, 0.3);
    Tensor b = random(new long[] {64, 4}, 2, 0.3);
    lora.put("base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_A.weight"), a);
    lora.put("base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_B.weight"), b);
    writeAdapter(adapter, lora, 4, 8);

    // the same model with W + (alpha / r) B A stored in the checkpoint instead
    Path merged = copyCheckpoint(variant, tmp.resolve("merged"));
    Map<String, Tensor> weights = new LinkedHashMap<>();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(merged.resolve("model.safetensors"))) {
      for (NamedTensor t : reader) {
        weights.put(t.name(), t.tensor());
      }
    }
    weights.put(SMOLVLM_Q_PROJ, plusScaledProduct(weights.get(SMOLVLM_Q_PROJ), b, a, 8.0 / 4));
    Safetensors.write(merged.resolve("model.safetensors"), TensorMap.of(weights), Map.of("format", "pt"));

    Path adapted = tmp.resolve("adapted.safetensors");
    Path base = tmp.resolve("base.safetensors");
    Path mergedOut = tmp.resolve("merged.safetensors");
    String[] turn = {"--image", image(variant).toString(), "--prompt", PROMPT};
    assertEquals(0, run(concat(new String[] {"logits", "--model", checkpoint(variant).toString(), "--adapter",
        adapter.toString(), "--out", adapted.toString()}, turn)).code);
    assertEquals(0, run(concat(new String[] {"logits", "--model", checkpoint(variant).toString(), "--out",
        base.toString()}, turn)).code);
    assertEquals(0, run(concat(new String[] {"logits", "--model", merged.toString(), "--out",
        mergedOut.toString()}, turn)).code);
    float[] withAdapter = Safetensors.read(adapted).tensors().get("logits").data();
    double change = maxAbsDiff(withAdapter, Safetensors.read(base).tensors().get("logits").data());
    double vsMerged = maxAbsDiff(withAdapter, Safetensors.read(mergedOut).tensors().get("logits").data());
    assertTrue(change > 1e-2, "the adapter changes the logits by " + change);
    assertTrue(vsMerged <= 1e-4, "adapter vs merged weights: max abs diff " + vsMerged);
  }

  @Test
  void everyBadInputIsOneLineNamingItAndWritesNothing() throws Exception {
    String variant = "smolvlm";
    String model = checkpoint(variant).toString();
    String img = image(variant).toString();
    Path vision = tmp.resolve("vision-adapter");
    writeAdapter(vision, Map.of(
        "base_model.model.model.vision_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", random(new long[] {4,
            32}, 3, 0.1),
        "base_model.model.model.vision_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", random(new long[] {32,
            4}, 4, 0.1)), 4, 8);
    Path misShaped = tmp.resolve("mis-shaped-adapter");
    writeAdapter(misShaped, Map.of(
        "base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_A.weight"), random(new long[] {4, 63}, 5, 1),
        "base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_B.weight"), random(new long[] {64, 4}, 6, 1)),
        4, 8);
    Path halfPair = tmp.resolve("half-pair-adapter");
    writeAdapter(halfPair, Map.of(
        "base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_A.weight"), random(new long[] {4, 64}, 7, 1)),
        4, 8);
    Path wrongLayer = tmp.resolve("wrong-layer-adapter");
    writeAdapter(wrongLayer, Map.of(
        "base_model.model.model.text_model.layers.9.self_attn.q_proj.lora_A.weight", random(new long[] {4, 64}, 8, 1),
        "base_model.model.model.text_model.layers.9.self_attn.q_proj.lora_B.weight", random(new long[] {64, 4}, 9, 1)),
        4, 8);
    Path unselected = tmp.resolve("unselected-adapter");
    writeAdapter(unselected, Map.of(
        "base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_A.weight"), random(new long[] {4, 64}, 10, 1),
        "base_model.model." + SMOLVLM_Q_PROJ.replace(".weight", ".lora_B.weight"), random(new long[] {64, 4}, 11, 1)),
        4, 8, PeftLayout.of(ModelFamily.SMOLVLM).targetModules(List.of("k_proj")));
    Path noConfig = tmp.resolve("no-config-adapter");
    Files.createDirectories(noConfig);
    Files.copy(halfPair.resolve(AdapterFiles.MODEL_FILE), noConfig.resolve(AdapterFiles.MODEL_FILE));

    expectError(List.of("--model", tmp.resolve("absent").toString(), "--prompt", PROMPT),
        tmp.resolve("absent").resolve("config.json") + ": missing");
    expectError(List.of("--model", model, "--image", tmp.resolve("absent.png").toString(), "--prompt", PROMPT),
        tmp.resolve("absent.png") + ": no such image file");
    expectError(List.of("--model", model, "--image", checkpoint(variant).resolve("config.json").toString(),
        "--prompt", PROMPT), checkpoint(variant).resolve("config.json") + ": not an image format");
    expectError(List.of("--model", model, "--image", img, "--prompt", PROMPT, "--adapter", vision.toString()),
        vision.resolve(AdapterFiles.MODEL_FILE) + ": tensor "
            + "'base_model.model.model.vision_model.encoder.layers.0.self_attn.q_proj.lora_A.weight' is not a LoRA "
            + "factor name");
    expectError(List.of("--model", model, "--prompt", PROMPT, "--adapter", misShaped.toString()),
        misShaped.resolve(AdapterFiles.MODEL_FILE) + ": tensor 'base_model.model.model.text_model.layers.1.self_attn"
            + ".q_proj.lora_A.weight' has shape [4, 63], expected [4, 64]");
    expectError(List.of("--model", model, "--prompt", PROMPT, "--adapter", halfPair.toString()),
        halfPair.resolve(AdapterFiles.MODEL_FILE) + ": tensor 'base_model.model.model.text_model.layers.1.self_attn"
            + ".q_proj.lora_A.weight' has no partner 'base_model.model.model.text_model.layers.1.self_attn.q_proj"
            + ".lora_B.weight'");
    expectError(List.of("--model", model, "--prompt", PROMPT, "--adapter", wrongLayer.toString()),
        wrongLayer.resolve(AdapterFiles.MODEL_FILE) + ": tensor 'base_model.model.model.text_model.layers.9.self_attn"
            + ".q_proj.lora_A.weight' adapts text.layers.9.self_attn.q_proj, which the decoder of");
    expectError(List.of("--model", model, "--prompt", PROMPT, "--adapter", unselected.toString()),
        unselected.resolve(AdapterFiles.MODEL_FILE) + ": tensor 'base_model.model.model.text_model.layers.1"
            + ".self_attn.q_proj.lora_A.weight' adapts module model.text_model.layers.1.self_attn.q_proj, which "
            + "target_modules .*text_model.*\\.(k_proj) does not select");
    expectError(List.of("--model", model, "--prompt", PROMPT, "--adapter", noConfig.toString()),
        noConfig.resolve(AdapterFiles.CONFIG_FILE) + ": missing");
  }

  private void expectError(List<String> args, String expectedStart) throws Exception {
    Path out = tmp.resolve("must-not-exist.safetensors");
    Run run = run(concat(concat(new String[] {"logits"}, args.toArray(String[]::new)),
        new String[] {"--out", out.toString()}));
    assertTrue(run.code != 0, args + ": exit code " + run.code);
    List<String> lines = run.err.lines().toList();
    assertEquals(1, lines.size(), run.err);
    assertTrue(lines.get(0).startsWith("fedmllm: " + expectedStart), lines.get(0));
    assertFalse(Files.exists(out), out + " was written");
    try (Stream<Path> files = Files.list(tmp)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("must-not-exist")), "temporary file left");
    }
  }

  private static void assertSameLogits(TensorMap golden, String prefix, TensorMap ours, String variant) {
    assertArrayEquals(golden.get(prefix + ".input_ids").data(), ours.get("input_ids").data(), variant + " ids");
    Tensor expected = golden.get(prefix + ".logits");
    assertArrayEquals(expected.shape(), ours.get("logits").shape(), variant);
    double diff = maxAbsDiff(expected.data(), ours.get("logits").data());
    assertTrue(diff <= 1e-4, variant + " " + prefix + ": logits max abs diff " + diff);
  }

  static void writeAdapter(Path dir, Map<String, Tensor> tensors, int r, double alpha) throws Exception {
    writeAdapter(dir, tensors, r, alpha, PeftLayout.of(ModelFamily.SMOLVLM).targetModules(
        List.of("q_proj", "k_proj", "v_proj", "o_proj")));
  }

  /** Tensors and config as they are on disk, unchecked (AdapterFiles.write would refuse the bad ones). */
  static void writeAdapter(Path dir, Map<String, Tensor> tensors, int r, double alpha, TargetModules targets)
      throws Exception {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(AdapterFiles.MODEL_FILE), TensorMap.of(tensors), Map.of("format", "pt"));
    AdapterConfig config = new AdapterConfig("checkpoint", AdapterConfig.NO_BIAS, true, alpha, 0, AdapterConfig
        .PEFT_TYPE, r, targets, AdapterConfig.TASK_TYPE);
    Files.write(dir.resolve(AdapterFiles.CONFIG_FILE), AdapterFiles.configJson(config));
  }

  /** {@code w + scale * b a} in double, rounded to float. */
  private static Tensor plusScaledProduct(Tensor w, Tensor b, Tensor a, double scale) {
    int out = (int) w.shape()[0];
    int in = (int) w.shape()[1];
    int r = (int) a.shape()[0];
    float[] merged = w.data().clone();
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        double sum = 0;
        for (int k = 0; k < r; k++) {
          sum += (double) b.data()[o * r + k] * a.data()[k * in + i];
        }
        merged[o * in + i] = (float) (w.data()[o * in + i] + scale * sum);
      }
    }
    return new Tensor(w.shape(), merged);
  }

  private static Tensor random(long[] shape, long seed, double std) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape[0] * shape[1])];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (std * (2 * rng.nextDouble() - 1));
    }
    return new Tensor(shape, values);
  }

  private static Path copyCheckpoint(String variant, Path target) throws Exception {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(checkpoint(variant))) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Fedmllm.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  static Path goldens() throws URISyntaxException {
    return Path.of(LogitsCommandTest.class.getResource("/hf-goldens").toURI());
  }

  static Path checkpoint(String variant) throws URISyntaxException {
    return goldens().resolve(variant).resolve("checkpoint");
  }

  private static Path image(String variant) throws URISyntaxException {
    return goldens().resolve(variant).resolve("image.png");
  }
}
