package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.cli.Fedmllm;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedmllm local} as a user runs it: a manifest in, a run folder out (metrics.csv, summary.json, metric.png,
 * the PEFT adapter); bad input gives one line naming the field or path, a non-zero exit and no run folder.
 */
class LocalCommandIT {
  private static final Path MANIFEST = Path.of("src/test/resources/manifests/local-small.yaml");

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Fedmllm.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aManifestRunsToARunFolder() throws Exception {
    Run run = run("local", MANIFEST.toString(), "--runs", dir.toString(), "--poll-millis", "200");
    assertEquals(0, run.exit(), run.err());
    Path folder;
    try (Stream<Path> runs = Files.list(dir)) {
      folder = runs.filter(p -> p.getFileName().toString().startsWith("tiny-run-")).findFirst().orElseThrow();
    }
    List<String> csv = Files.readAllLines(folder.resolve("metrics.csv"));
    assertEquals(3, csv.size(), "header and one row per round");
    assertTrue(csv.get(2).startsWith("2,2,2,0,0,"), csv.get(2));
    JsonNode summary = new ObjectMapper().readTree(folder.resolve("summary.json").toFile());
    assertEquals("COMPLETED", summary.get("phase").asText());
    assertEquals("roc_auc", summary.get("final").get("metricName").asText());
    byte[] png = Files.readAllBytes(folder.resolve("metric.png"));
    assertEquals('P', png[1]);
    assertEquals(32, AdapterFiles.read(folder.resolve("adapter")).tensors().size(), "4 layers x q/k/v/o x A/B");
  }

  @Test
  void unknownFieldIsOneLineNamingFileLineAndField() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(MANIFEST).replace("  rounds: 2\n", "  rounds: 2\n  roundz: 3\n"));
    Run run = run("local", bad.toString(), "--runs", dir.resolve("runs").toString());
    assertEquals(1, run.exit());
    String message = run.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("bad.yaml:") && message.contains("spec.roundz"), message);
    assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
  }

  @Test
  void unreadableDataPathNamesTheClientAndField() throws Exception {
    Path bad = dir.resolve("missing-data.yaml");
    Files.writeString(bad, Files.readString(MANIFEST).replaceFirst(
        "(?s)  data:\\n    format: synthetic\\n    synthetic:\\n      generator: hateful,seed=42,count=120\\n"
            + "      scenario: aligned:0.5\\n      clients: 2\\n      index: 0\\n",
        "  data:\n    format: hateful-memes\n    path: no/such/folder\n"));
    Run run = run("local", bad.toString(), "--runs", dir.resolve("runs").toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("client-a") && run.err().contains("spec.data"), run.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
  }

  @Test
  void unreachableStorageNamesTheEndpointField() throws Exception {
    Path bad = dir.resolve("unreachable.yaml");
    Files.writeString(bad, Files.readString(MANIFEST).replace("  serverStrategy:\n",
        "  storage:\n    endpoint: http://127.0.0.1:9\n    bucket: nowhere\n  serverStrategy:\n"));
    Run run = run("local", bad.toString(), "--runs", dir.resolve("runs").toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("spec.storage.endpoint"), run.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
  }

  @Test
  void anEmptyTrainFileFailsBeforeAnythingStartsNamingTheClientAndTheFile() throws Exception {
    Path data = Files.writeString(Files.createDirectories(dir.resolve("data")).resolve("train.jsonl"), "");
    Run run = runWithClientData("empty.yaml", "data/train.jsonl");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("FederationClient client-a: spec.data: " + data.toAbsolutePath()
        + ": no samples: the file holds no records"), run.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
  }

  @Test
  void aPngHoldingTextFailsBeforeAnythingStartsNamingTheFileLineAndField() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("meme.png"), "not a picture");
    Path file = Files.writeString(data.resolve("train.jsonl"),
        "{\"id\": \"m1\", \"image\": \"meme.png\", \"instruction\": \"q\", \"answer\": \"a\"}\n");
    Run run = runWithClientData("text-png.yaml", "data/train.jsonl");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains(file.toAbsolutePath() + ":1: field 'image': "), run.err());
    assertTrue(run.err().contains("meme.png is not a picture"), run.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
  }

  /** The small manifest with client-a reading the jsonl file {@code path} (relative to the manifest's folder). */
  private Run runWithClientData(String name, String path) throws Exception {
    Path manifest = dir.resolve(name);
    Files.writeString(manifest, Files.readString(MANIFEST).replaceFirst(
        "(?s)  data:\\n    format: synthetic\\n    synthetic:\\n      generator: hateful,seed=42,count=120\\n"
            + "      scenario: aligned:0.5\\n      clients: 2\\n      index: 0\\n",
        "  data:\n    format: jsonl\n    path: " + path + "\n"));
    return run("local", manifest.toString(), "--runs", dir.resolve("runs").toString());
  }
}
