package io.fedmllm.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ModelPreset;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How spec.model.checkpoint becomes a directory for fedmllm local and for a pod, and the name it records. */
class CheckpointDirectoriesTest {

  @TempDir Path dir;

  private Path checkpointAt(String relative) throws IOException {
    Path checkpoint = dir.resolve(relative);
    Files.createDirectories(checkpoint);
    Files.writeString(checkpoint.resolve("config.json"), "{}");
    return checkpoint;
  }

  private static ModelSpec model(String path, VolumeSpec volume) {
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setPath(path);
    checkpoint.setVolume(volume);
    ModelSpec model = new ModelSpec();
    model.setCheckpoint(checkpoint);
    return model;
  }

  private static VolumeSpec hostPath(Path path) {
    VolumeSpec volume = new VolumeSpec();
    volume.setHostPath(path.toString());
    return volume;
  }

  private static VolumeSpec claim(String name) {
    VolumeSpec volume = new VolumeSpec();
    volume.setPersistentVolumeClaim(name);
    return volume;
  }

  @Test
  void aPresetOrBaseWeightsHaveNoCheckpointDirectory() throws IOException {
    ModelSpec preset = new ModelSpec();
    preset.setPreset(ModelPreset.TINY);
    assertEquals(Optional.empty(), CheckpointDirectories.forLocalRun(dir, Optional.empty()).directory(preset));
    assertEquals(Optional.empty(), CheckpointDirectories.baseModelName(preset));
  }

  @Test
  void locallyARelativePathIsBelowTheManifestsFolderAndAHostPathIsAFolderOfThisMachine() throws IOException {
    Path checkpoint = checkpointAt("models/SmolVLM-256M-Instruct");
    CheckpointDirectories local = CheckpointDirectories.forLocalRun(dir, Optional.empty());
    assertEquals(Optional.of(checkpoint), local.directory(model("models/SmolVLM-256M-Instruct", null)));
    assertEquals(Optional.of(checkpoint), local.directory(model(checkpoint.toString(), null)));
    assertEquals(Optional.of(checkpoint),
        CheckpointDirectories.forLocalRun(Path.of("/nonexistent"), Optional.empty())
            .directory(model("SmolVLM-256M-Instruct", hostPath(dir.resolve("models")))));
  }

  @Test
  void locallyAClaimIsAnErrorNamingTheField() {
    IOException e = assertThrows(IOException.class, () -> CheckpointDirectories.forLocalRun(dir, Optional.empty())
        .directory(model("SmolVLM-256M-Instruct", claim("smolvlm-256m"))));
    assertEquals("spec.model.checkpoint.volume.persistentVolumeClaim: a PersistentVolumeClaim exists only on a"
        + " cluster; use hostPath (or no volume) for fedmllm local", e.getMessage());
  }

  @Test
  void inAPodTheVolumesPathIsBelowTheMountWhateverKindOfVolumeItIs() throws IOException {
    Path checkpoint = checkpointAt("mount/SmolVLM-256M-Instruct");
    CheckpointDirectories pod = CheckpointDirectories.inPod(dir.resolve("mount"), Optional.empty());
    assertEquals(Optional.of(checkpoint), pod.directory(model("SmolVLM-256M-Instruct", claim("smolvlm-256m"))));
    assertEquals(Optional.of(checkpoint),
        pod.directory(model("SmolVLM-256M-Instruct", hostPath(Path.of("/on/the/node")))));
    assertEquals(Optional.of(checkpoint), pod.directory(model(checkpoint.toString(), null)),
        "without a volume: a path in the image");
  }

  @Test
  void aMissingDirectoryAFileOrAFolderWithoutConfigJsonIsOneLineNamingThePath() throws IOException {
    CheckpointDirectories local = CheckpointDirectories.forLocalRun(dir, Optional.empty());
    IOException missing = assertThrows(IOException.class, () -> local.directory(model("nowhere", null)));
    assertEquals("spec.model.checkpoint.path: " + dir.resolve("nowhere") + " does not exist", missing.getMessage());

    Files.writeString(dir.resolve("model.safetensors"), "x");
    IOException file = assertThrows(IOException.class, () -> local.directory(model("model.safetensors", null)));
    assertEquals("spec.model.checkpoint.path: " + dir.resolve("model.safetensors") + " is not a directory (a"
        + " checkpoint is the directory holding config.json, the safetensors weights and the tokenizer)",
        file.getMessage());

    Files.createDirectories(dir.resolve("empty"));
    IOException empty = assertThrows(IOException.class, () -> local.directory(model("empty", null)));
    assertEquals("spec.model.checkpoint.path: " + dir.resolve("empty") + " holds no config.json (not a Hugging Face"
        + " checkpoint directory)", empty.getMessage());
  }

  @Test
  void s3WithoutObjectStorageIsAnErrorAndTheFetchersMessageGetsTheFieldAndUri() {
    ModelSpec model = new ModelSpec();
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setS3("s3://models/SmolVLM-256M-Instruct/");
    model.setCheckpoint(checkpoint);
    IOException none = assertThrows(IOException.class,
        () -> CheckpointDirectories.forLocalRun(dir, Optional.empty()).directory(model));
    assertEquals("spec.model.checkpoint.s3: reading s3://models/SmolVLM-256M-Instruct/ needs object storage, and"
        + " this run has none", none.getMessage());
    IOException failed = assertThrows(IOException.class, () -> CheckpointDirectories.inPod(Path.of("/checkpoint"),
        Optional.of(uri -> {
          throw new IOException("SmolVLM-256M-Instruct/config.json: access denied (403 AccessDenied: no)");
        })).directory(model));
    assertEquals("spec.model.checkpoint.s3: s3://models/SmolVLM-256M-Instruct/: SmolVLM-256M-Instruct/config.json:"
        + " access denied (403 AccessDenied: no)", failed.getMessage());
  }

  @Test
  void theNameIsTheSpecsOrTheLastElementOfItsPathOrPrefix() {
    ModelSpec named = model("SmolVLM-256M-Instruct", claim("smolvlm-256m"));
    assertEquals(Optional.of("SmolVLM-256M-Instruct"), CheckpointDirectories.baseModelName(named));
    named.getCheckpoint().setName("HuggingFaceTB/SmolVLM-256M-Instruct");
    assertEquals(Optional.of("HuggingFaceTB/SmolVLM-256M-Instruct"), CheckpointDirectories.baseModelName(named));

    assertEquals(Optional.of("SmolVLM-500M-Instruct"),
        CheckpointDirectories.baseModelName(model("hub/SmolVLM-500M-Instruct/", null)));
    assertEquals(Optional.of("smolvlm-256m"), CheckpointDirectories.baseModelName(model(".", claim("smolvlm-256m"))));
    assertEquals(Optional.of("llava-1.5-7b-hf"),
        CheckpointDirectories.baseModelName(model(".", hostPath(Path.of("/models/llava-1.5-7b-hf")))));

    ModelSpec s3 = new ModelSpec();
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setS3("s3://models/hub/SmolVLM-256M-Instruct/");
    s3.setCheckpoint(checkpoint);
    assertEquals(Optional.of("SmolVLM-256M-Instruct"), CheckpointDirectories.baseModelName(s3));
    checkpoint.setS3("s3://smolvlm");
    assertEquals(Optional.of("smolvlm"), CheckpointDirectories.baseModelName(s3));
  }

  @Test
  void theClaimExampleResolvesBelowThePodsMountAndIsRefusedLocally() throws Exception {
    ModelSpec model = new ManifestReader().read(Path.of("../examples/k8s-smolvlm-pvc-federation.yaml")).federation()
        .spec().getModel();
    Path checkpoint = checkpointAt("checkpoint/SmolVLM-256M-Instruct");
    assertEquals(Optional.of(checkpoint),
        CheckpointDirectories.inPod(dir.resolve("checkpoint"), Optional.empty()).directory(model));
    assertEquals(Optional.of("HuggingFaceTB/SmolVLM-256M-Instruct"), CheckpointDirectories.baseModelName(model));
    IOException local = assertThrows(IOException.class,
        () -> CheckpointDirectories.forLocalRun(Path.of("../examples"), Optional.empty()).directory(model));
    assertEquals("spec.model.checkpoint.volume.persistentVolumeClaim: a PersistentVolumeClaim exists only on a"
        + " cluster; use hostPath (or no volume) for fedmllm local", local.getMessage());
  }

  @Test
  void theFederationsModelIsTheCheckpointsName() throws Exception {
    Path manifest = dir.resolve("federation.yaml");
    Files.writeString(manifest, """
        apiVersion: fedmllm.io/v1alpha1
        kind: Federation
        metadata:
          name: smolvlm
        spec:
          task: hateful
          model:
            checkpoint:
              path: checkpoints/SmolVLM-256M-Instruct
              name: HuggingFaceTB/SmolVLM-256M-Instruct
          rounds: 2
          minClients: 1
          training:
            localSteps: 4
          evalData:
            format: synthetic
            synthetic:
              generator: hateful,seed=42,count=20
            split: test
        ---
        apiVersion: fedmllm.io/v1alpha1
        kind: FederationClient
        metadata:
          name: client-0
        spec:
          federationRef:
            name: smolvlm
          data:
            format: synthetic
            synthetic:
              generator: hateful,seed=1,count=20
        """);
    FederationSettings settings = FederationSettings.from(new ManifestReader().read(manifest).federation().spec());
    assertEquals("HuggingFaceTB/SmolVLM-256M-Instruct", settings.model());
    assertEquals(Optional.empty(), settings.baseWeights());
  }
}
