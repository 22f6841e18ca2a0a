package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class ControlPlaneSmokeIT {
  @Test
  void apiServerSchedulerAndControllersComeUp() {
    try (ControlPlane plane = ControlPlane.withSchedulerAndControllers("smoke")) {
      assertNotNull(plane.client().namespaces().withName("default").get());
      assertEquals("1.34", plane.client().getKubernetesVersion().getMajor() + "." + plane.client().getKubernetesVersion().getMinor());
    }
  }
}
