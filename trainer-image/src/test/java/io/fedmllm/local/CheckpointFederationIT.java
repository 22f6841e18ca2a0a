package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.cli.Fedmllm;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.lora.AdapterFiles;
import io.fedmllm.tensor.lora.LoraAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedmllm local} on a manifest whose base is a Hugging Face checkpoint directory (the committed SmolVLM golden
 * checkpoint): the federation runs end to end on it, and the final adapter is in PEFT's layout for that checkpoint
 * (decoder-only target_modules regex, the checkpoint's name as base_model_name_or_path, text_model tensor names).
 * A checkpoint whose weights are cut short is refused before anything runs, naming the file.
 */
class CheckpointFederationIT {
  private static final Path MANIFEST = Path.of("src/test/resources/manifests/local-small.yaml");

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Fedmllm.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private Path manifestWithCheckpoint(Path checkpoint) throws IOException {
    Path manifest = dir.resolve("checkpoint-run.yaml");
    Files.writeString(manifest, Files.readString(MANIFEST)
        .replace("  model:\n    preset: tiny\n",
            "  model:\n    checkpoint:\n      path: " + dir.relativize(checkpoint) + "\n      name: test/smolvlm\n")
        .replace("    learningRate: 3.0e-3\n", "    learningRate: 1.0e-2\n"));
    return manifest;
  }

  @Test
  void aFederationFineTunesTheCheckpointAndWritesAPeftAdapterForIt() throws Exception {
    Path checkpoint = io.fedmllm.hf.Goldens.copy("smolvlm", dir.resolve("smolvlm"));
    Path runs = dir.resolve("runs");
    Run run = run("local", manifestWithCheckpoint(checkpoint).toString(), "--runs", runs.toString(),
        "--poll-millis", "200");
    assertEquals(0, run.exit(), run.err() + run.out());
    System.out.println(run.out());
    Path folder;
    try (Stream<Path> found = Files.list(runs)) {
      folder = found.filter(p -> p.getFileName().toString().startsWith("tiny-run-")).findFirst().orElseThrow();
    }
    assertEquals(3, Files.readAllLines(folder.resolve("metrics.csv")).size(), "header and one row per round");
    LoraAdapter adapter = AdapterFiles.read(folder.resolve("adapter"));
    assertEquals("test/smolvlm", adapter.config().baseModelNameOrPath());
    assertEquals(".*text_model.*\\.(q_proj|k_proj|v_proj|o_proj)", adapter.config().targetModules().pattern());
    assertEquals(16, adapter.tensors().size(), "2 layers x q/k/v/o x A/B");
    boolean trained = false;
    for (Map.Entry<String, Tensor> e : adapter.tensors()) {
      assertTrue(e.getKey().startsWith("base_model.model.model.text_model.layers."), e.getKey());
      if (e.getKey().endsWith("lora_B.weight")) {
        for (float v : e.getValue().data()) {
          trained |= v != 0f;
        }
      }
    }
    assertTrue(trained, "the federation moved B away from zero");
    String logs = Files.readString(folder.resolve("logs/aggregator.log"));
    assertTrue(logs.contains("smolvlm checkpoint test/smolvlm"), logs);
  }

  @Test
  void theCheckpointExampleRunsOnWhatCheckpointInitWrites() throws Exception {
    Path examples = Files.createDirectories(dir.resolve("examples"));
    Run init = run("checkpoint", "init", "--family", "smolvlm", "--out",
        examples.resolve("checkpoints/smolvlm-tiny").toString());
    assertEquals(0, init.exit(), init.err());
    Path manifest = examples.resolve("local-smolvlm-tiny.yaml");
    Files.writeString(manifest, Files.readString(Path.of("../examples/local-smolvlm-tiny.yaml"))
        .replace("  rounds: 4\n", "  rounds: 2\n").replace("    localSteps: 20\n", "    localSteps: 4\n"));
    Path runs = dir.resolve("example-runs");
    Run run = run("local", manifest.toString(), "--runs", runs.toString(), "--poll-millis", "200");
    assertEquals(0, run.exit(), run.err() + run.out());
    try (Stream<Path> found = Files.list(runs)) {
      Path folder = found.findFirst().orElseThrow();
      LoraAdapter adapter = AdapterFiles.read(folder.resolve("adapter"));
      assertEquals("fedmllm/smolvlm-tiny", adapter.config().baseModelNameOrPath());
    }
  }

  @Test
  void aTruncatedShardIsRefusedBeforeAnythingRunsNamingTheFile() throws Exception {
    Path checkpoint = io.fedmllm.hf.Goldens.copy("smolvlm", dir.resolve("cut"));
    Path weights = checkpoint.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    Path runs = dir.resolve("runs");
    Run run = run("local", manifestWithCheckpoint(checkpoint).toString(), "--runs", runs.toString());
    assertNotEquals(0, run.exit());
    String message = run.err().strip();
    System.out.println(message);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("model.safetensors"), message);
    assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "no run folder");
  }
}
