package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.engine.ObtainedBase;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.v1alpha1.ServerStrategyName;
import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import io.fedmllm.tensor.lora.AdapterFiles;
import io.fedmllm.tensor.lora.LoraAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "The CRD accepts it" implies "it runs": every server strategy of the API's enum, each paired with one of the client
 * strategies (none, FedProx, the middle-layer regulariser, the modality-agnostic prompt: all four are covered),
 * runs through {@code fedmllm local}'s entry point from a manifest: aggregator and two trainers over the embedded
 * object store, two rounds of one local step on the tiny model. A strategy that cannot be built, or rounds that do not
 * commit, fail the test; the stored {@code federation.json} must name the strategy and the adapter written to the run
 * folder must describe what was trained (alpha 6.5, only q/v projections).
 */
class EveryStrategyLocalRunIT {

  private static final ModelConfig TINY = ModelConfig.preset("tiny");
  private static final List<String> CLIENT_STRATEGIES = List.of(
      "",
      "  clientStrategies:\n    fedProx:\n      mu: 0.01\n",
      "  clientStrategies:\n    middleLayerRegularizer:\n      mu: 0.01\n      muW: 0.1\n      s: 1\n",
      "  clientStrategies:\n    modalityAgnosticPrompt: true\n");

  @TempDir Path dir;

  static Stream<ServerStrategyName> everyServerStrategy() {
    return Arrays.stream(ServerStrategyName.values());
  }

  /** The name the CRD accepts, from the enum's own JSON mapping. */
  private static String yamlName(ServerStrategyName name) {
    try {
      return ServerStrategyName.class.getField(name.name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  private static String manifest(String strategy, String clientStrategies) {
    String client = """
        ---
        apiVersion: fedmllm.io/v1alpha1
        kind: FederationClient
        metadata:
          name: client-%s
        spec:
          federationRef:
            name: every-strategy
          data:
            format: synthetic
            synthetic:
              generator: hateful,seed=42,count=32
              scenario: aligned:0.5
              clients: 2
              index: %d
        """;
    return """
        apiVersion: fedmllm.io/v1alpha1
        kind: Federation
        metadata:
          name: every-strategy
        spec:
          task: hateful
          model:
            preset: tiny
          adapter:
            r: 4
            alpha: 6.5
            targetModules: [q_proj, v_proj]
          rounds: 2
          minClients: 2
          roundDeadline: 5m
          training:
            localSteps: 1
            batchSize: 4
            learningRate: 3.0e-3
            warmupRatio: 0
          serverStrategy:
            name: %s
        %s  evalData:
            format: synthetic
            synthetic:
              generator: hateful,seed=42,count=16
            split: test
        """.formatted(strategy, clientStrategies) + client.formatted("a", 0) + client.formatted("b", 1);
  }

  private static BaseModel loadTinyBase() {
    try {
      return BaseCache.standard().loadOrPretrain(TINY, TextTokenizer.builtIn(), BaseCache.defaultSettings(TINY), 11,
          System.out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("everyServerStrategy")
  void runsTwoCommittedRounds(ServerStrategyName server) throws Exception {
    String name = yamlName(server);
    String clientStrategies = CLIENT_STRATEGIES.get(server.ordinal() % CLIENT_STRATEGIES.size());
    Path file = Files.writeString(dir.resolve(name + ".yaml"), manifest(name, clientStrategies));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    long started = System.nanoTime();
    LocalFederationRunner.Result result = new LocalFederationRunner((settings, checkpoint) -> ObtainedBase.builtIn(loadTinyBase()), dir.resolve("runs"),
        new PrintStream(console, true, StandardCharsets.UTF_8), false, Duration.ofMillis(100))
        .run(new ManifestReader().read(file));
    System.out.printf("%s with%s: %.1f s%n", name, clientStrategies.isEmpty() ? " no client strategy"
        : clientStrategies.replaceAll("\\s+", " "), (System.nanoTime() - started) / 1e9);

    String context = name + ": " + console.toString(StandardCharsets.UTF_8);
    assertTrue(result.outcome().completed(), context);
    assertEquals(2, result.outcome().roundsCommitted(), context);
    assertEquals(2, result.status().roundsCommitted(), context);

    JsonNode stored = new ObjectMapper().readTree(federationJson(result.folder().path()).toFile());
    assertEquals(name, stored.get("serverStrategy").get("name").asText(), stored.toString());

    LoraAdapter adapter = AdapterFiles.read(result.folder().path().resolve("adapter"));
    assertEquals(6.5, adapter.config().loraAlpha());
    assertEquals(4, adapter.config().r());
    assertEquals(List.of("q_proj", "v_proj"), adapter.config().targetModules().names());
    assertEquals(TINY.layers() * 2 * 2, adapter.tensors().size(), "layers x {q, v} x {A, B}");
  }

  /** The embedded store keeps objects as files under the run folder's storage/. */
  private static Path federationJson(Path runFolder) throws IOException {
    try (Stream<Path> files = Files.walk(runFolder.resolve("storage"))) {
      return files.filter(p -> p.getFileName().toString().equals("federation.json")).findFirst()
          .orElseThrow(() -> new AssertionError("no federation.json under " + runFolder.resolve("storage")));
    }
  }
}
