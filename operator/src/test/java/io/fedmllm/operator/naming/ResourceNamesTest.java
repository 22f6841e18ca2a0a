package io.fedmllm.operator.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceNamesTest {

  @Test
  void shortNamesAreKept() {
    assertEquals("demo-aggregator", ResourceNames.aggregatorPod("demo"));
    assertEquals("demo-metrics", ResourceNames.metricsService("demo"));
    assertEquals("demo-config", ResourceNames.configMap("demo"));
    assertEquals("client-0-trainer", ResourceNames.trainerPod("client-0"));
  }

  @Test
  void longNamesAreCutHashedAndStayDistinct() {
    String a = "a".repeat(70) + ".one";
    String b = "a".repeat(70) + ".two";
    String pa = ResourceNames.trainerPod(a);
    assertTrue(pa.length() <= 63, pa);
    assertTrue(pa.endsWith("-trainer"));
    assertTrue(pa.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), pa);
    assertNotEquals(pa, ResourceNames.trainerPod(b));
    assertEquals(pa, ResourceNames.trainerPod(a));
    assertTrue(ResourceNames.labelValue(a).length() <= 63);
  }
}
