package io.fedmllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.HfProcessor;
import io.fedmllm.hf.ModelFamily;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.hf.init.CheckpointPreset;
import io.fedmllm.hf.init.RandomCheckpoint;
import io.fedmllm.hf.nn.MultimodalModel;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.SafetensorsEntry;
import io.fedmllm.tensor.lora.AdapterFiles;
import io.fedmllm.tensor.lora.LoraAdapter;
import io.fedmllm.tensor.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmllm checkpoint}: init output loadable by our reader, processor and model, deterministic, shaped as the
 * goldens; adapters it writes load and change the logits; the benchmark's loss is transformers'.
 */
class CheckpointCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FILES = List.of("chat_template.jinja", "config.json", "generation_config.json",
      "model.safetensors", "processor_config.json", "tokenizer.json", "tokenizer_config.json");

  @TempDir Path tmp;

  @Test
  void tinyCheckpointsLoadAndRunThroughProcessorAndModel() throws Exception {
    RgbImage image = RgbImage.read(LogitsCommandTest.goldens().resolve("smolvlm").resolve("image.png"));
    for (String family : List.of("smolvlm", "llava")) {
      Path dir = tmp.resolve(family);
      LogitsCommandTest.Run run = LogitsCommandTest.run("checkpoint", "init", "--family", family, "--out",
          dir.toString());
      assertEquals(0, run.code(), run.err());
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(FILES, files.map(f -> f.getFileName().toString()).sorted().toList(), family);
      }
      List<String> reports = new ArrayList<>();
      try (HfCheckpoint checkpoint = HfCheckpoint.open(dir, reports::add);
          HfProcessor processor = HfProcessor.read(dir);
          NDManager manager = NDManager.newBaseManager()) {
        assertEquals(List.of(), reports, family);
        HfProcessor.Inputs inputs = processor.userTurn(image, "Which colour is the circle?");
        int imageTokens = 0;
        for (long id : inputs.inputIds()) {
          imageTokens += id == checkpoint.config().imageTokenId() ? 1 : 0;
        }
        assertEquals(family.equals("smolvlm") ? 9 : 36, imageTokens, family + ": " + inputs.prompt());
        NDArray logits = MultimodalModel.load(checkpoint, manager).logits(manager.create(inputs.inputIds()),
            manager.create(inputs.image().pixelValues(), new Shape(inputs.image().shape())));
        assertEquals(new Shape(inputs.inputIds().length, checkpoint.config().text().vocabSize()), logits.getShape());
        float[] values = logits.toFloatArray();
        double spread = 0;
        for (float v : values) {
          assertTrue(Float.isFinite(v), family);
          spread = Math.max(spread, Math.abs(v - values[0]));
        }
        assertTrue(spread > 1e-3, family + ": logits do not depend on the input");
        // the built-in BPE merges real text: far fewer tokens than characters
        String text = "The quick brown fox jumps over the lazy dog. What is shown in the picture?";
        int tokens = processor.tokenizer().encode(text).length;
        assertTrue(tokens < text.length() / 2, family + ": " + tokens + " tokens for " + text.length() + " chars");
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOtherWeights() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertEquals(0, LogitsCommandTest.run("checkpoint", "init", "--family", "smolvlm", "--out", a.toString()).code());
    assertEquals(0, LogitsCommandTest.run("checkpoint", "init", "--family", "smolvlm", "--out", b.toString()).code());
    assertEquals(0, LogitsCommandTest.run("checkpoint", "init", "--family", "smolvlm", "--seed", "7", "--out",
        c.toString()).code());
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
    assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("model.safetensors")),
        Files.readAllBytes(c.resolve("model.safetensors"))));
    assertArrayEquals(Files.readAllBytes(a.resolve("config.json")), Files.readAllBytes(c.resolve("config.json")));
    Path split = tmp.resolve("split");
    assertEquals(0, LogitsCommandTest.run("checkpoint", "init", "--family", "smolvlm", "--image-splitting", "true",
        "--out", split.toString()).code());
    assertTrue(JSON.readTree(split.resolve("processor_config.json").toFile())
        .at("/image_processor/do_image_splitting").asBoolean());
    assertFalse(JSON.readTree(a.resolve("processor_config.json").toFile())
        .at("/image_processor/do_image_splitting").asBoolean());
  }

  @Test
  void withTheGoldensSizesTensorNamesShapesAndJsonKeysAreTheGoldens() throws Exception {
    CheckpointPreset smolvlm = new CheckpointPreset("golden", ModelFamily.SMOLVLM, 0, false, 64, 96, 2, 4, 4, true,
        10000.0, 256, 32, 64, 2, 2, 32, 8, 2, false, 64);
    CheckpointPreset llava = new CheckpointPreset("golden", ModelFamily.LLAVA, 0, false, 64, 96, 2, 4, 2, false,
        10000.0, 256, 32, 64, 2, 2, 32, 8, 1, false, 32);
    for (Map.Entry<String, CheckpointPreset> e : Map.of("smolvlm", smolvlm, "llava-clip-llama", llava).entrySet()) {
      Path ours = tmp.resolve(e.getKey());
      RandomCheckpoint.write(ours, e.getValue(), 1);
      Path golden = LogitsCommandTest.checkpoint(e.getKey());
      Map<String, long[]> expected = shapes(golden.resolve("model.safetensors"));
      Map<String, long[]> actual = shapes(ours.resolve("model.safetensors"));
      assertEquals(expected.keySet(), actual.keySet(), e.getKey());
      long goldenVocab = expected.get(e.getKey().equals("smolvlm") ? "model.text_model.embed_tokens.weight"
          : "language_model.model.embed_tokens.weight")[0];
      long ourVocab = JSON.readTree(ours.resolve("config.json").toFile()).at("/text_config/vocab_size").asLong();
      for (String name : expected.keySet()) {
        long[] want = expected.get(name).clone();
        for (int i = 0; i < want.length; i++) {
          want[i] = want[i] == goldenVocab ? ourVocab : want[i];
        }
        assertArrayEquals(want, actual.get(name), name);
      }
      for (String file : List.of("config.json", "processor_config.json", "tokenizer_config.json",
          "generation_config.json")) {
        assertEquals(keys(JSON.readTree(golden.resolve(file).toFile()), ""),
            keys(JSON.readTree(ours.resolve(file).toFile()), ""), e.getKey() + " " + file);
      }
    }
  }

  @Test
  void aRandomAdapterInTheFederationsLayoutChangesTheLogits() throws Exception {
    for (String family : List.of("smolvlm", "llava")) {
      Path dir = tmp.resolve(family);
      Path adapter = tmp.resolve(family + "-adapter");
      assertEquals(0, LogitsCommandTest.run("checkpoint", "init", "--family", family, "--out", dir.toString())
          .code());
      LogitsCommandTest.Run run = LogitsCommandTest.run("checkpoint", "random-adapter", "--model", dir.toString(),
          "--out", adapter.toString(), "--targets", "q_proj,v_proj,down_proj");
      assertEquals(0, run.code(), run.err());
      LoraAdapter written = AdapterFiles.read(adapter);
      assertEquals(2 * 3 * 2, written.tensors().size(), family);
      assertTrue(written.config().targetModules().pattern().contains(family.equals("smolvlm") ? "text_model"
          : "language_model"), written.config().targetModules().toString());
      Path base = tmp.resolve(family + "-base.safetensors");
      Path adapted = tmp.resolve(family + "-adapted.safetensors");
      assertEquals(0, LogitsCommandTest.run("logits", "--model", dir.toString(), "--prompt", "Which colour?",
          "--out", base.toString()).code());
      run = LogitsCommandTest.run("logits", "--model", dir.toString(), "--prompt", "Which colour?", "--adapter",
          adapter.toString(), "--out", adapted.toString());
      assertEquals(0, run.code(), run.err());
      double change = LogitsCommandTest.maxAbsDiff(Safetensors.read(base).tensors().get("logits").data(),
          Safetensors.read(adapted).tensors().get("logits").data());
      assertTrue(change > 1e-3, family + ": the adapter changes the logits by " + change);
    }
  }

  @Test
  void anAdapterTrainedByTheLocalTrainerLoadsAndLowersTheLoss() throws Exception {
    Path adapter = tmp.resolve("trained");
    LogitsCommandTest.Run run = LogitsCommandTest.run("checkpoint", "train-adapter", "--model",
        LogitsCommandTest.checkpoint("smolvlm").toString(), "--out", adapter.toString(), "--steps", "8", "--targets",
        "q_proj,gate_proj");
    assertEquals(0, run.code(), run.err());
    Matcher loss = Pattern.compile("batch loss ([0-9.]+) -> ([0-9.]+)")
        .matcher(run.out());
    assertTrue(loss.find(), run.out());
    assertTrue(Double.parseDouble(loss.group(2)) < Double.parseDouble(loss.group(1)), run.out());
    LoraAdapter written = AdapterFiles.read(adapter);
    assertEquals(2 * 2 * 2, written.tensors().size());
    assertTrue(written.tensors().names().stream().filter(n -> n.contains("lora_B"))
        .allMatch(n -> maxAbs(written.tensors().get(n).data()) > 0), "every B moved from zero");
    assertEquals(0, LogitsCommandTest.run("logits", "--model", LogitsCommandTest.checkpoint("smolvlm").toString(),
        "--prompt", "Is it hateful?", "--adapter", adapter.toString(), "--out", tmp.resolve("l.safetensors")
            .toString()).code());
  }

  @Test
  void onTheCpuDeviceTheTrainedAdapterIsTheDefaultOnesAndCudaWithoutAGpuFailsInOneLine() throws Exception {
    String model = LogitsCommandTest.checkpoint("smolvlm").toString();
    String[] args = {"checkpoint", "train-adapter", "--model", model, "--steps", "2", "--samples", "8"};
    LogitsCommandTest.Run byDefault = LogitsCommandTest.run(concat(args, "--out", tmp.resolve("default").toString()));
    LogitsCommandTest.Run onCpu = LogitsCommandTest.run(concat(args, "--out", tmp.resolve("cpu").toString(),
        "--device", "cpu"));
    assertEquals(0, byDefault.code(), byDefault.err());
    assertEquals(0, onCpu.code(), onCpu.err());
    assertTrue(onCpu.err().contains("device: cpu() (spec.training.device is cpu"), onCpu.err());
    assertEquals(AdapterFiles.read(tmp.resolve("default")).tensors(), AdapterFiles.read(tmp.resolve("cpu")).tensors());

    // this machine has no GPU (CPU natives: the engine counts none), so auto is the CPU and cuda is refused
    LogitsCommandTest.Run auto = LogitsCommandTest.run(concat(args, "--out", tmp.resolve("auto").toString(),
        "--device", "auto"));
    assertTrue(auto.err().contains("device: cpu() (spec.training.device is auto, no GPU visible)"), auto.err());
    LogitsCommandTest.Run cuda = LogitsCommandTest.run(concat(args, "--out", tmp.resolve("cuda").toString(),
        "--device", "cuda"));
    assertTrue(cuda.code() != 0);
    assertTrue(cuda.err().contains("spec.training.device is cuda, but this process sees no CUDA GPU"), cuda.err());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("cuda")));
    LogitsCommandTest.Run bad = LogitsCommandTest.run(concat(args, "--out", tmp.resolve("bad").toString(),
        "--device", "tpu"));
    assertTrue(bad.err().contains("--device: tpu is not one of auto, cpu, cuda"), bad.err());
  }

  private static String[] concat(String[] a, String... b) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
        .toArray(String[]::new);
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Test
  void theBenchmarkStepsLossIsTransformersLossOfTheGolden() throws Exception {
    for (String variant : List.of("smolvlm", "llava-clip-llama")) {
      Path root = LogitsCommandTest.goldens().resolve(variant);
      LogitsCommandTest.Run run = LogitsCommandTest.run("checkpoint", "bench", "--model", LogitsCommandTest
          .checkpoint(variant).toString(), "--image", root.resolve("image.png").toString(), "--prompt",
          "What is shown in the picture? Answer briefly.", "--steps", "2", "--warmup", "0");
      assertEquals(0, run.code(), run.err());
      String result = run.out().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
      JsonNode json = JSON.readTree(result.substring("RESULT ".length()));
      float golden = Safetensors.read(root.resolve("goldens.safetensors")).tensors().get("mm.loss").data()[0];
      // B starts at zero, so the adapted model's loss is the base's: transformers' loss over the same positions
      assertEquals(golden, json.get("loss").asDouble(), 1e-5, variant);
      assertEquals(2, json.get("step_seconds").size());
      assertTrue(json.get("vm_hwm_mib").asDouble() > 0);
    }
  }

  @Test
  void anExistingDirectoryIsRefusedAndLeftAlone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(dir.resolve("keep.txt"), "mine");
    LogitsCommandTest.Run run = LogitsCommandTest.run("checkpoint", "init", "--family", "llava", "--out",
        dir.toString());
    assertEquals(1, run.code());
    assertEquals("fedmllm: " + dir + ": already exists; a checkpoint is written to a new directory",
        run.err().strip());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of("taken"), files.map(f -> f.getFileName().toString()).toList());
    }
    assertEquals("fedmllm: unknown family 'qwen2' (known: smolvlm, llava)", LogitsCommandTest.run("checkpoint",
        "init", "--family", "qwen2", "--out", tmp.resolve("x").toString()).err().strip());
    assertEquals("fedmllm: unknown preset 'huge' (known: tiny, smolvlm-256m)", LogitsCommandTest.run("checkpoint",
        "init", "--family", "llava", "--preset", "huge", "--out", tmp.resolve("x").toString()).err().strip());
    assertEquals("fedmllm: preset smolvlm-256m is a smolvlm checkpoint, not llava", LogitsCommandTest.run(
        "checkpoint", "init", "--family", "llava", "--preset", "smolvlm-256m", "--out", tmp.resolve("x").toString())
        .err().strip());
  }

  private static Map<String, long[]> shapes(Path file) throws Exception {
    Map<String, long[]> out = new TreeMap<>();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(file)) {
      for (SafetensorsEntry entry : reader.entries()) {
        out.put(entry.name(), entry.shape());
      }
    }
    return out;
  }

  /** Every key path of a JSON tree ({@code /text_config/rope_parameters/rope_theta}). */
  private static TreeSet<String> keys(JsonNode node, String path) {
    TreeSet<String> out = new TreeSet<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.add(path + "/" + field.getKey());
        out.addAll(keys(field.getValue(), path + "/" + field.getKey()));
      }
    }
    return out;
  }
}
