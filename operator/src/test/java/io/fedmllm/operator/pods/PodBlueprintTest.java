package io.fedmllm.operator.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.v1alpha1.ResourceListSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import org.junit.jupiter.api.Test;

class PodBlueprintTest {

  private static final String CPU_IMAGE = "registry.example/trainer:1";
  private static final String GPU_IMAGE = "registry.example/trainer:1-cu128";

  private static ResourceListSpec list(Integer gpus) {
    ResourceListSpec list = new ResourceListSpec();
    list.setCpu("2");
    list.setNvidiaGpu(gpus);
    return list;
  }

  private static ResourceRequirementsSpec resources(ResourceListSpec requests, ResourceListSpec limits) {
    ResourceRequirementsSpec r = new ResourceRequirementsSpec();
    r.setRequests(requests);
    r.setLimits(limits);
    return r;
  }

  @Test
  void aGpuInRequestsOrLimitsIsAGpuRequest() {
    assertTrue(PodBlueprint.requestsGpu(resources(list(1), null)));
    assertTrue(PodBlueprint.requestsGpu(resources(null, list(2))));
    assertTrue(PodBlueprint.requestsGpu(resources(list(0), list(1))));
  }

  @Test
  void noOrZeroGpusIsNoGpuRequest() {
    assertFalse(PodBlueprint.requestsGpu(null));
    assertFalse(PodBlueprint.requestsGpu(resources(null, null)));
    assertFalse(PodBlueprint.requestsGpu(resources(list(null), list(null))));
    assertFalse(PodBlueprint.requestsGpu(resources(list(0), list(0))));
  }

  @Test
  void gpuPodsGetTheGpuImageUnlessTheFederationNamesOne() {
    ResourceRequirementsSpec gpu = resources(null, list(1));
    assertEquals(GPU_IMAGE, PodBlueprint.trainerImage(null, gpu, CPU_IMAGE, GPU_IMAGE));
    assertEquals(CPU_IMAGE, PodBlueprint.trainerImage(null, resources(list(0), null), CPU_IMAGE, GPU_IMAGE));
    assertEquals(CPU_IMAGE, PodBlueprint.trainerImage(null, null, CPU_IMAGE, GPU_IMAGE));
    assertEquals("mine:2", PodBlueprint.trainerImage("mine:2", gpu, CPU_IMAGE, GPU_IMAGE));
    assertEquals("mine:2", PodBlueprint.trainerImage("mine:2", null, CPU_IMAGE, GPU_IMAGE));
  }
}
