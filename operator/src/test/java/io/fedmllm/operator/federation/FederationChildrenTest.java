package io.fedmllm.operator.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ResourceListSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.pods.PodBlueprint;
import io.fedmllm.operator.pods.SpecHash;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregator pod, the metrics Service and the rendered ConfigMap. */
class FederationChildrenTest {

  private final Federation federation = Fixtures.federation("ml", "hateful");
  private final List<FederationClient> clients = List.of(Fixtures.client("ml", "b-client", "hateful"),
      Fixtures.client("ml", "a-client", "hateful"));
  private final StorageLocation location =
      StorageLocation.of("ml", "hateful", federation.getSpec().getStorage()).orElseThrow();

  @Test
  void aggregatorPodRunsTheAggregatorWithItsOwnResources() {
    ResourceListSpec requests = new ResourceListSpec();
    requests.setCpu("2");
    ResourceRequirementsSpec r = new ResourceRequirementsSpec();
    r.setRequests(requests);
    federation.getSpec().setAggregatorResources(r);
    Pod pod = AggregatorPods.desired(federation, location, OperatorSettings.defaults());
    assertEquals("hateful-aggregator", pod.getMetadata().getName());
    assertEquals("aggregator", pod.getMetadata().getLabels().get("app.kubernetes.io/component"));
    assertEquals("Federation", pod.getMetadata().getOwnerReferences().get(0).getKind());
    var c = pod.getSpec().getContainers().get(0);
    assertEquals("aggregator", c.getArgs().get(0));
    assertTrue(c.getArgs().containsAll(List.of("--bucket", "fedmllm", "--prefix", "ml/hateful")));
    assertEquals("2", c.getResources().getRequests().get("cpu").getAmount());
    assertEquals("metrics", c.getPorts().get(0).getName());
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals("OnFailure", pod.getSpec().getRestartPolicy());
  }

  @Test
  void anAggregatorGivenAGpuRunsTheGpuImageUnlessTheFederationNamesOne() {
    OperatorSettings defaults = OperatorSettings.defaults();
    assertEquals(defaults.aggregatorImage(), image(AggregatorPods.desired(federation, location, defaults)));
    ResourceListSpec limits = new ResourceListSpec();
    limits.setNvidiaGpu(1);
    ResourceRequirementsSpec gpu = new ResourceRequirementsSpec();
    gpu.setLimits(limits);
    federation.getSpec().setAggregatorResources(gpu);
    assertEquals(defaults.trainerGpuImage(), image(AggregatorPods.desired(federation, location, defaults)));
    federation.getSpec().setAggregatorImage("registry.example/aggregator:3");
    assertEquals("registry.example/aggregator:3", image(AggregatorPods.desired(federation, location, defaults)));
  }

  private static String image(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }

  @Test
  void aggregatorMountsTheCheckpointsClaimReadOnlyAndIsToldWhere() {
    federation.getSpec().getModel().setPreset(null);
    VolumeSpec claim = new VolumeSpec();
    claim.setPersistentVolumeClaim("smolvlm-256m");
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setPath("SmolVLM-256M-Instruct");
    checkpoint.setVolume(claim);
    federation.getSpec().getModel().setCheckpoint(checkpoint);
    Pod pod = AggregatorPods.desired(federation, location, OperatorSettings.defaults());
    var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(PodBlueprint.CHECKPOINT_VOLUME))
        .findFirst().orElseThrow();
    assertEquals("smolvlm-256m", volume.getPersistentVolumeClaim().getClaimName());
    assertTrue(volume.getPersistentVolumeClaim().getReadOnly());
    var c = pod.getSpec().getContainers().get(0);
    assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(PodBlueprint.CHECKPOINT_VOLUME)
        && m.getMountPath().equals("/checkpoint") && m.getReadOnly()));
    List<String> args = c.getArgs();
    assertEquals("/checkpoint", args.get(args.indexOf("--checkpoint-mount") + 1));
  }

  @Test
  void aggregatorIsRecreatedWhenTheFederationChangesButNotWhenItsClientsDo() {
    String before = SpecHash.of(AggregatorPods.desired(federation, location, OperatorSettings.defaults()));
    // the pod is a function of the Federation alone: no client list goes in, so none can change it
    assertEquals(before, SpecHash.of(AggregatorPods.desired(federation, location, OperatorSettings.defaults())));
    federation.getSpec().setRounds(federation.getSpec().getRounds() + 1);
    assertNotEquals(before, SpecHash.of(AggregatorPods.desired(federation, location, OperatorSettings.defaults())));
  }

  @Test
  void metricsServiceSelectsTheAggregator() {
    Service service = MetricsServices.desired(federation, OperatorSettings.defaults());
    assertEquals("hateful-metrics", service.getMetadata().getName());
    assertEquals("aggregator", service.getSpec().getSelector().get("app.kubernetes.io/component"));
    assertEquals("hateful", service.getSpec().getSelector().get("app.kubernetes.io/instance"));
    assertEquals(9090, service.getSpec().getPorts().get(0).getPort());
    assertEquals("Federation", service.getMetadata().getOwnerReferences().get(0).getKind());
  }

  @Test
  void configMapHoldsAManifestTheLocalReaderAccepts() throws Exception {
    ConfigMap config = FederationConfigMaps.desired(federation, clients);
    assertEquals("hateful-config", config.getMetadata().getName());
    String text = config.getData().get("federation.yaml");
    assertFalse(text.contains("status"), text);
    assertFalse(text.contains("uid-"), text);
    Manifest manifest = new ManifestReader().read(text, "federation.yaml");
    assertEquals("hateful", manifest.federation().name());
    assertEquals(List.of("a-client", "b-client"), manifest.clientNames());
    assertEquals(3, manifest.federation().spec().getRounds());
  }
}
