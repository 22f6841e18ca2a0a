package io.fedmllm.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.ModelPreset;
import io.fedmllm.api.v1alpha1.NodeSelectorOperator;
import io.fedmllm.api.v1alpha1.RetainPolicy;
import io.fedmllm.api.v1alpha1.ServerStrategyName;
import io.fedmllm.api.v1alpha1.TaintEffect;
import io.fedmllm.api.v1alpha1.TargetModule;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.api.v1alpha1.TolerationOperator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestReaderTest {

  private static final Path MANIFESTS = Path.of("src/test/resources/manifests");
  private static final String MARKER = "# <- error here";

  private final ManifestReader reader = new ManifestReader();

  static Stream<Path> badManifests() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS.resolve("bad"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereAreManyBadManifests() throws IOException {
    assertTrue(badManifests().count() >= 15);
  }

  /** Each bad file states the expected error in its first line and marks the offending line when there is one. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badManifests")
  void badManifestGivesOneClearLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String expected = lines.get(0).replaceFirst("^# expect: ", "");
    ManifestException e = assertThrows(ManifestException.class, () -> reader.read(file));
    String message = e.getMessage();
    assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
    assertTrue(message.startsWith(file.toString() + ":"), () -> "names the file: " + message);
    assertFalse(message.contains("\n"), () -> "one line: " + message);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(MARKER)) {
        int line = i + 1;
        assertEquals(line, e.line(), () -> "line of: " + message);
        assertTrue(message.startsWith(file + ":" + line + ": "), message);
      }
    }
  }

  @Test
  void theRenderedManifestOfARunningFederationMayListFewerClientsThanTheQuorumOrNone() throws Exception {
    String federation = Files.readString(MANIFESTS.resolve("bad/start-exceeds-clients.yaml"));
    String withoutClients = federation.substring(0, federation.indexOf("---"));
    ManifestException e = assertThrows(ManifestException.class, () -> reader.read(withoutClients, "f.yaml"));
    assertTrue(e.getMessage().contains("has no FederationClient"), e.getMessage());
    assertEquals(List.of(), ManifestReader.ofRunningFederation().read(withoutClients, "f.yaml").clientNames());
    // its clients join while it runs: round 0 waits for 3 of them, 2 exist so far
    assertEquals(List.of("client-0", "client-1"),
        ManifestReader.ofRunningFederation().read(federation, "f.yaml").clientNames());
  }

  @Test
  void errorNamesTheDocumentAndResource() {
    ManifestException e = assertThrows(ManifestException.class,
        () -> reader.read(MANIFESTS.resolve("bad/unknown-format.yaml")));
    assertTrue(e.getMessage().contains(": document 2 (FederationClient client-0): spec.data.format: "),
        e.getMessage());
    assertEquals("spec.data.format", e.path());
  }

  @Test
  void readsEveryFieldOfTheFullManifest() throws Exception {
    Manifest manifest = reader.read(MANIFESTS.resolve("good/full.yaml"));
    assertEquals(List.of("v1 Secret minio-credentials (document 1)"), manifest.ignored());
    Resource<FederationSpec> federation = manifest.federation();
    assertEquals("crisis-hybrid", federation.name());
    assertEquals("research", federation.namespace());
    assertEquals(2, federation.document());
    assertEquals(Map.of("team", "multimodal"), federation.metadata().getLabels());
    FederationSpec spec = federation.spec();
    assertEquals(TaskType.CRISIS, spec.getTask());
    assertEquals(ModelPreset.SMALL, spec.getModel().getPreset());
    assertEquals(16, spec.getAdapter().getR());
    assertEquals(32.0, spec.getAdapter().getAlpha());
    assertEquals(List.of(TargetModule.Q_PROJ, TargetModule.V_PROJ), spec.getAdapter().getTargetModules());
    assertEquals(0.2, spec.getClientFraction());
    assertNull(spec.getClientsPerRound());
    assertEquals("1h30m", spec.getRoundDeadline());
    assertEquals(1, spec.getTraining().getLocalEpochs());
    assertEquals(2e-5, spec.getTraining().getLearningRate());
    assertEquals(0.0, spec.getTraining().getMinLearningRateRatio());
    assertEquals(7L, spec.getTraining().getSeed());
    assertEquals(ServerStrategyName.FEDYOGI, spec.getServerStrategy().getName());
    assertEquals(0.99, spec.getServerStrategy().getBeta2());
    assertEquals(4, spec.getClientStrategies().getMiddleLayerRegularizer().getS());
    assertTrue(spec.getClientStrategies().getModalityAgnosticPrompt());
    assertEquals("crisis-eval", spec.getEvalData().getVolume().getPersistentVolumeClaim());
    assertEquals(RetainPolicy.DELETE, spec.getStorage().getRetainPolicy());
    assertEquals("minio-credentials", spec.getStorage().getCredentialsSecret());
    assertEquals(1, spec.getResources().getRequests().getNvidiaGpu());
    assertEquals("20Gi", spec.getResources().getLimits().getEphemeralStorage());
    assertEquals("500m", spec.getAggregatorResources().getRequests().getCpu());
    assertEquals(TolerationOperator.EQUAL, spec.getTolerations().get(1).getOperator());
    assertEquals(TaintEffect.NO_EXECUTE, spec.getTolerations().get(1).getEffect());
    assertEquals(300L, spec.getTolerations().get(1).getTolerationSeconds());
    var expressions = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions();
    assertEquals(NodeSelectorOperator.GT, expressions.get(1).getOperator());
    assertEquals("nvidia", spec.getRuntimeClassName());
    assertFalse(spec.getSuspend());

    assertEquals(List.of("hospital-a", "agency-b"), manifest.clientNames());
    FederationClientSpec hospital = manifest.clients().get(0).spec();
    assertEquals("/mnt/datasets", hospital.getData().getVolume().getHostPath());
    assertEquals(2, hospital.getResources().getLimits().getNvidiaGpu());
    assertEquals("NVIDIA-L4", hospital.getNodeSelector().get("nvidia.com/gpu.product"));
    assertEquals(DataFormat.JSONL, manifest.clients().get(1).spec().getData().getFormat());
    assertEquals("s3://agency-b-data/crisis/", manifest.clients().get(1).spec().getData().getS3());
  }

  @Test
  void appliesThePaperDefaultsToAMinimalManifest() throws Exception {
    FederationSpec spec = reader.read(MANIFESTS.resolve("good/minimal.yaml")).federation().spec();
    assertEquals(8, spec.getAdapter().getR());
    assertEquals(8.0, spec.getAdapter().getAlpha());
    assertEquals(0.05, spec.getAdapter().getDropout());
    assertEquals(4, spec.getAdapter().getTargetModules().size());
    assertEquals(50, spec.getRounds());
    assertEquals(1, spec.getMinClients());
    assertEquals(2e-5, spec.getTraining().getLearningRate());
    assertEquals(0.01, spec.getTraining().getWarmupRatio());
    assertNull(spec.getTraining().getLocalEpochs());
    assertNull(spec.getTraining().getLocalSteps());
    assertEquals(ServerStrategyName.FEDAVG, spec.getServerStrategy().getName());
    assertFalse(spec.getClientStrategies().getModalityAgnosticPrompt());
    assertNull(spec.getStorage());
    assertEquals("default", reader.read(MANIFESTS.resolve("good/minimal.yaml")).clients().get(0).namespace());
  }

  @Test
  void explicitNullKeepsTheDefault() throws Exception {
    String text = Files.readString(MANIFESTS.resolve("good/minimal.yaml"))
        .replace("  model:\n", "  rounds: null\n  adapter:\n  model:\n");
    FederationSpec spec = reader.read(text, "inline.yaml").federation().spec();
    assertEquals(50, spec.getRounds());
    assertNotNull(spec.getAdapter());
    assertEquals(8, spec.getAdapter().getR());
  }

  @Test
  void readsTheLocalExamples() throws Exception {
    Manifest aligned = reader.read(Path.of("../examples/local-aligned-4clients.yaml"));
    assertEquals(4, aligned.clients().size());
    assertEquals("aligned:0.5", aligned.clients().get(3).spec().getData().getSynthetic().getScenario());
    assertEquals(3, aligned.clients().get(3).spec().getData().getSynthetic().getIndex());
    assertEquals("hateful-aligned", aligned.federation().name());
    assertNotNull(aligned.federation().spec().getTraining().getLocalSteps(), "the example runs fixed local steps");

    Manifest missing = reader.read(Path.of("../examples/local-missing-10clients.yaml"));
    assertEquals(10, missing.clients().size());
    FederationSpec spec = missing.federation().spec();
    assertEquals(3, spec.getClientsPerRound());
    assertEquals(ServerStrategyName.FEDADAGRAD, spec.getServerStrategy().getName());
    assertNotNull(spec.getClientStrategies().getMiddleLayerRegularizer());
    assertTrue(spec.getClientStrategies().getModalityAgnosticPrompt());
    assertEquals("missing:0.3", missing.clients().get(9).spec().getData().getSynthetic().getScenario());
  }

  @Test
  void readsTheCheckpointExamples() throws Exception {
    Manifest pvc = reader.read(Path.of("../examples/k8s-smolvlm-pvc-federation.yaml"));
    CheckpointSourceSpec onClaim = pvc.federation().spec().getModel().getCheckpoint();
    assertEquals("SmolVLM-256M-Instruct", onClaim.getPath());
    assertEquals("smolvlm-256m", onClaim.getVolume().getPersistentVolumeClaim());
    assertEquals("HuggingFaceTB/SmolVLM-256M-Instruct", onClaim.getName());
    assertNull(pvc.federation().spec().getModel().getPreset());
    assertEquals(3, pvc.clients().size());
    assertEquals(1, pvc.federation().spec().getResources().getLimits().getNvidiaGpu());

    Manifest s3 = reader.read(Path.of("../examples/k8s-smolvlm-s3-federation.yaml"));
    CheckpointSourceSpec onS3 = s3.federation().spec().getModel().getCheckpoint();
    assertEquals("s3://fedmllm/models/SmolVLM-256M-Instruct/", onS3.getS3());
    assertNull(onS3.getVolume());
    assertEquals("4Gi", s3.federation().spec().getResources().getRequests().getEphemeralStorage(),
        "room in the cache emptyDir for the fetched checkpoint");
  }

  /** Every example holding a Federation passes the reader (the CRD's constraints and the CEL rules' twins). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("federationExamples")
  void everyFederationExampleIsValid(Path file) throws Exception {
    Manifest manifest = reader.read(file);
    assertFalse(manifest.clients().isEmpty(), file + " has no FederationClient");
  }

  static Stream<Path> federationExamples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples"))) {
      List<Path> withFederation = files.filter(f -> f.toString().endsWith(".yaml")).filter(f -> {
        try {
          return Files.readString(f).contains("\nkind: Federation\n");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
      assertTrue(withFederation.size() >= 5, "examples with a Federation: " + withFederation);
      return withFederation.stream();
    }
  }

  @Test
  void unreadableFileIsOneLine() {
    ManifestException e = assertThrows(ManifestException.class, () -> reader.read(Path.of("no/such/file.yaml")));
    assertTrue(e.getMessage().startsWith("no/such/file.yaml: cannot read"), e.getMessage());
  }

  @Test
  void aBinaryFileIsNotTextAndTheLineOfItsFirstBadByteIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("fed.yaml");
    Files.write(file, new byte[] {'a', 'p', 'i', ':', '\n', 'k', (byte) 0xff, (byte) 0xd8, '\n'});
    ManifestException e = assertThrows(ManifestException.class, () -> reader.read(file));
    assertEquals(file + ":2: not UTF-8 text (a YAML manifest is a text file)", e.getMessage());
  }
}
