package io.fedmllm.operator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.NodeAffinitySpec;
import io.fedmllm.api.v1alpha1.NodeSelectorOperator;
import io.fedmllm.api.v1alpha1.NodeSelectorRequirementSpec;
import io.fedmllm.api.v1alpha1.NodeSelectorSpec;
import io.fedmllm.api.v1alpha1.NodeSelectorTermSpec;
import io.fedmllm.api.v1alpha1.AffinitySpec;
import io.fedmllm.api.v1alpha1.ResourceListSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import io.fedmllm.api.v1alpha1.TaintEffect;
import io.fedmllm.api.v1alpha1.TolerationOperator;
import io.fedmllm.api.v1alpha1.TolerationSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.naming.Labels;
import io.fedmllm.operator.pods.PodBlueprint;
import io.fedmllm.operator.pods.SpecHash;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerPodsTest {

  private final Federation federation = Fixtures.federation("ml", "hateful");
  private final FederationClient client = Fixtures.client("ml", "hospital-a", "hateful");

  private Pod pod() {
    StorageLocation location = StorageLocation.of("ml", "hateful", federation.getSpec().getStorage()).orElseThrow();
    return TrainerPods.desired(client, federation, location, OperatorSettings.defaults());
  }

  private static Container main(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  @Test
  void namesLabelsAndOwnsThePod() {
    Pod pod = pod();
    assertEquals("hospital-a-trainer", pod.getMetadata().getName());
    assertEquals("ml", pod.getMetadata().getNamespace());
    Map<String, String> labels = pod.getMetadata().getLabels();
    assertEquals("fedmllm", labels.get("app.kubernetes.io/name"));
    assertEquals("hateful", labels.get("app.kubernetes.io/instance"));
    assertEquals("trainer", labels.get("app.kubernetes.io/component"));
    assertEquals("fedmllm-operator", labels.get("app.kubernetes.io/managed-by"));
    assertEquals("fedmllm", labels.get("app.kubernetes.io/part-of"));
    assertEquals("hateful", labels.get("fedmllm.io/federation"));
    assertEquals("hospital-a", labels.get("fedmllm.io/client"));
    var owner = pod.getMetadata().getOwnerReferences().get(0);
    assertEquals("FederationClient", owner.getKind());
    assertEquals("uid-hospital-a", owner.getUid());
    assertTrue(owner.getController());
    assertTrue(owner.getBlockOwnerDeletion());
    assertEquals(Labels.MANAGED_BY + "=" + Labels.OPERATOR, Labels.MANAGED_SELECTOR);
  }

  @Test
  void runsTheTrainerCommandAgainstTheFederationsStorage() {
    Container c = main(pod());
    assertEquals(PodBlueprint.CONTAINER, c.getName());
    assertEquals("ghcr.io/fedmllm/trainer:0.1.0", c.getImage());
    assertEquals(List.of("trainer", "--client", "hospital-a", "--rounds", "3", "--manifest",
        "/etc/fedmllm/federation.yaml", "--data-mount", "/data", "--endpoint", "http://minio.storage:9000", "--region",
        "us-east-1", "--bucket", "fedmllm", "--prefix", "ml/hateful", "--metrics-port", "9090"), c.getArgs());
    assertEquals("Never", pod().getSpec().getRestartPolicy());
  }

  @Test
  void raisedRoundsRecreateTheTrainerWithTheNewTotal() {
    String before = SpecHash.of(pod());
    federation.getSpec().setRounds(5);
    Pod raised = pod();
    assertNotEquals(before, SpecHash.of(raised), "a running trainer is recreated to learn the new total");
    List<String> args = main(raised).getArgs();
    assertEquals("5", args.get(args.indexOf("--rounds") + 1));
  }

  @Test
  void credentialsOnlyThroughSecretKeyRefAndDjlOffline() {
    Container c = main(pod());
    for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
      EnvVar env = c.getEnv().stream().filter(e -> e.getName().equals(key)).findFirst().orElseThrow();
      assertNull(env.getValue(), key + " must not carry a literal value");
      assertEquals("storage-credentials", env.getValueFrom().getSecretKeyRef().getName());
      assertEquals(key, env.getValueFrom().getSecretKeyRef().getKey());
    }
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("DJL_OFFLINE") && "true".equals(e.getValue())));
    assertFalse(String.join(" ", c.getArgs()).contains("SECRET"));
  }

  @Test
  void hardenedSecurityContextWithWritableEmptyDirs() {
    Pod pod = pod();
    var podSc = pod.getSpec().getSecurityContext();
    assertTrue(podSc.getRunAsNonRoot());
    assertEquals("RuntimeDefault", podSc.getSeccompProfile().getType());
    var sc = main(pod).getSecurityContext();
    assertTrue(sc.getRunAsNonRoot());
    assertTrue(sc.getReadOnlyRootFilesystem());
    assertFalse(sc.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
    assertFalse(pod.getSpec().getAutomountServiceAccountToken());
    var mounts = main(pod).getVolumeMounts();
    assertTrue(mounts.stream().anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly())));
    assertTrue(mounts.stream().anyMatch(m -> m.getMountPath().equals("/var/cache/fedmllm")));
    assertTrue(mounts.stream().anyMatch(m -> m.getMountPath().equals("/etc/fedmllm") && m.getReadOnly()));
    assertEquals("hateful-config", pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .findFirst().orElseThrow().getConfigMap().getName());
  }

  @Test
  void aTrainerThatRequestsAGpuRunsTheGpuImageUnlessTheFederationNamesOne() {
    OperatorSettings defaults = OperatorSettings.defaults();
    assertEquals(defaults.trainerImage(), main(pod()).getImage());
    federation.getSpec().setResources(gpus(1));
    assertEquals(defaults.trainerGpuImage(), main(pod()).getImage());
    assertEquals("ghcr.io/fedmllm/trainer:0.1.0-cu128", defaults.trainerGpuImage());
    ResourceRequirementsSpec cpuOnly = gpus(0);
    client.getSpec().setResources(cpuOnly);
    assertEquals(defaults.trainerImage(), main(pod()).getImage(), "the client's resources replace the Federation's");
    client.getSpec().setResources(gpus(1));
    federation.getSpec().setTrainerImage("registry.example/trainer:2");
    assertEquals("registry.example/trainer:2", main(pod()).getImage());
  }

  @Test
  void gpuFieldsMergeFederationAndClient() {
    ResourceRequirementsSpec fedResources = gpus(1);
    federation.getSpec().setResources(fedResources);
    federation.getSpec().setNodeSelector(Map.of("pool", "gpu", "zone", "a"));
    federation.getSpec().setTolerations(List.of(toleration("nvidia.com/gpu")));
    federation.getSpec().setPriorityClassName("training");
    federation.getSpec().setRuntimeClassName("nvidia");
    client.getSpec().setResources(gpus(2));
    client.getSpec().setNodeSelector(Map.of("zone", "b", "nvidia.com/gpu.product", "A100"));
    client.getSpec().setTolerations(List.of(toleration("dedicated")));
    client.getSpec().setAffinity(affinity("nvidia.com/gpu.memory", "80"));

    Pod pod = pod();
    var resources = main(pod).getResources();
    assertEquals(new Quantity("2"), resources.getLimits().get("nvidia.com/gpu"));
    assertEquals(new Quantity("8Gi"), resources.getLimits().get("memory"));
    assertEquals(Map.of("pool", "gpu", "zone", "b", "nvidia.com/gpu.product", "A100"), pod.getSpec().getNodeSelector());
    assertEquals(List.of("nvidia.com/gpu", "dedicated"),
        pod.getSpec().getTolerations().stream().map(t -> t.getKey()).toList());
    assertEquals("Exists", pod.getSpec().getTolerations().get(0).getOperator());
    assertEquals("NoSchedule", pod.getSpec().getTolerations().get(0).getEffect());
    var requirement = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
    assertEquals("Gt", requirement.getOperator());
    assertEquals(List.of("80"), requirement.getValues());
    assertEquals("training", pod.getSpec().getPriorityClassName());
    assertEquals("nvidia", pod.getSpec().getRuntimeClassName());
  }

  @Test
  void claimVolumeIsMountedReadOnlyAtTheDataRoot() {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.HATEFUL_MEMES);
    data.setPath("hateful-memes");
    VolumeSpec volume = new VolumeSpec();
    volume.setPersistentVolumeClaim("hospital-a-data");
    data.setVolume(volume);
    client.getSpec().setData(data);
    Pod pod = pod();
    var claim = pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst()
        .orElseThrow();
    assertEquals("hospital-a-data", claim.getPersistentVolumeClaim().getClaimName());
    assertTrue(claim.getPersistentVolumeClaim().getReadOnly());
    assertTrue(main(pod).getVolumeMounts().stream()
        .anyMatch(m -> m.getMountPath().equals("/data") && m.getReadOnly()));
  }

  @Test
  void checkpointOnAClaimIsMountedReadOnlyBesideTheDataAndItsMountPassed() {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.HATEFUL_MEMES);
    data.setPath("hateful-memes");
    VolumeSpec dataClaim = new VolumeSpec();
    dataClaim.setPersistentVolumeClaim("hospital-a-data");
    data.setVolume(dataClaim);
    client.getSpec().setData(data);
    String withoutCheckpoint = SpecHash.of(pod());
    assertFalse(main(pod()).getArgs().contains("--checkpoint-mount"));

    federation.getSpec().getModel().setPreset(null);
    federation.getSpec().getModel().setCheckpoint(checkpointOnClaim("smolvlm-256m", "SmolVLM-256M-Instruct"));
    Pod pod = pod();
    var volumes = pod.getSpec().getVolumes();
    var checkpoint = volumes.stream().filter(v -> v.getName().equals(PodBlueprint.CHECKPOINT_VOLUME)).findFirst()
        .orElseThrow();
    assertEquals("smolvlm-256m", checkpoint.getPersistentVolumeClaim().getClaimName());
    assertTrue(checkpoint.getPersistentVolumeClaim().getReadOnly());
    assertEquals("hospital-a-data", volumes.stream().filter(v -> v.getName().equals(PodBlueprint.DATA_VOLUME))
        .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
    var mount = main(pod).getVolumeMounts().stream().filter(m -> m.getName().equals(PodBlueprint.CHECKPOINT_VOLUME))
        .findFirst().orElseThrow();
    assertEquals(PodBlueprint.CHECKPOINT_MOUNT, mount.getMountPath());
    assertTrue(mount.getReadOnly());
    List<String> args = main(pod).getArgs();
    int flag = args.indexOf("--checkpoint-mount");
    assertEquals("/checkpoint", args.get(flag + 1));
    assertEquals(args.indexOf("--data-mount") + 2, flag, "beside --data-mount: " + args);
    assertNotEquals(withoutCheckpoint, SpecHash.of(pod), "a new checkpoint recreates the trainer");
  }

  @Test
  void checkpointOnAHostPathIsADirectoryVolumeAndAnS3CheckpointMountsNothing() {
    VolumeSpec host = new VolumeSpec();
    host.setHostPath("/models");
    CheckpointSourceSpec onHost = new CheckpointSourceSpec();
    onHost.setPath("SmolVLM-256M-Instruct");
    onHost.setVolume(host);
    federation.getSpec().getModel().setPreset(null);
    federation.getSpec().getModel().setCheckpoint(onHost);
    var volume = pod().getSpec().getVolumes().stream().filter(v -> v.getName().equals(PodBlueprint.CHECKPOINT_VOLUME))
        .findFirst().orElseThrow();
    assertEquals("/models", volume.getHostPath().getPath());
    assertEquals("Directory", volume.getHostPath().getType());

    CheckpointSourceSpec onS3 = new CheckpointSourceSpec();
    onS3.setS3("s3://models/SmolVLM-256M-Instruct/");
    federation.getSpec().getModel().setCheckpoint(onS3);
    Pod pod = pod();
    assertTrue(pod.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals(PodBlueprint.CHECKPOINT_VOLUME)));
    assertTrue(main(pod).getVolumeMounts().stream().noneMatch(m -> m.getMountPath().equals("/checkpoint")));
    assertFalse(main(pod).getArgs().contains("--checkpoint-mount"));
    var cache = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(PodBlueprint.CACHE_VOLUME))
        .findFirst().orElseThrow();
    assertNull(cache.getEmptyDir().getSizeLimit(), "the cache is bounded by the node's ephemeral storage, as for data");
    assertTrue(main(pod).getEnv().stream()
        .anyMatch(e -> e.getName().equals("FEDMLLM_CACHE") && e.getValue().equals(PodBlueprint.CACHE_MOUNT)));
  }

  static CheckpointSourceSpec checkpointOnClaim(String claim, String path) {
    VolumeSpec volume = new VolumeSpec();
    volume.setPersistentVolumeClaim(claim);
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setPath(path);
    checkpoint.setVolume(volume);
    return checkpoint;
  }

  @Test
  void specHashChangesWithTheSpecOnly() {
    String before = SpecHash.of(pod());
    assertEquals(before, SpecHash.of(pod()));
    federation.getSpec().setTrainerImage("registry.example/trainer:2");
    assertNotEquals(before, SpecHash.of(pod()));
  }

  private static ResourceRequirementsSpec gpus(int n) {
    ResourceListSpec limits = new ResourceListSpec();
    limits.setNvidiaGpu(n);
    limits.setMemory("8Gi");
    ResourceRequirementsSpec r = new ResourceRequirementsSpec();
    r.setLimits(limits);
    return r;
  }

  private static TolerationSpec toleration(String key) {
    TolerationSpec t = new TolerationSpec();
    t.setKey(key);
    t.setOperator(TolerationOperator.EXISTS);
    t.setEffect(TaintEffect.NO_SCHEDULE);
    return t;
  }

  private static AffinitySpec affinity(String key, String value) {
    NodeSelectorRequirementSpec r = new NodeSelectorRequirementSpec();
    r.setKey(key);
    r.setOperator(NodeSelectorOperator.GT);
    r.setValues(List.of(value));
    NodeSelectorTermSpec term = new NodeSelectorTermSpec();
    term.setMatchExpressions(List.of(r));
    NodeSelectorSpec selector = new NodeSelectorSpec();
    selector.setNodeSelectorTerms(List.of(term));
    NodeAffinitySpec node = new NodeAffinitySpec();
    node.setRequiredDuringSchedulingIgnoredDuringExecution(selector);
    AffinitySpec a = new AffinitySpec();
    a.setNodeAffinity(node);
    return a;
  }
}
