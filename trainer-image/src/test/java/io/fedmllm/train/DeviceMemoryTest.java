package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.fedmllm.metrics.FederationMetrics;
import org.junit.jupiter.api.Test;

class DeviceMemoryTest {
  private final DeviceMemory memory = new DeviceMemory(device -> 1000L + device.getDeviceId(), () -> 7L);

  @Test
  void aGpuIsMeasuredByCudaAndTheCpuByTheResidentSet() {
    assertEquals(1001, memory.usedBytes(Device.gpu(1)));
    assertEquals(7, memory.usedBytes(Device.cpu()));
    assertEquals("device", DeviceMemory.kind(Device.gpu(0)));
    assertEquals("host-rss", DeviceMemory.kind(Device.cpu()));
  }

  @Test
  void theResidentSetIsReadFromProc() {
    long rss = DeviceMemory.residentBytes();
    Runtime jvm = Runtime.getRuntime();
    assertTrue(rss > jvm.totalMemory() - jvm.freeMemory(), "RSS " + rss + " holds at least the used heap");
    assertEquals(rss, DeviceMemory.system().usedBytes(Device.cpu()), rss / 10.0);
  }

  @Test
  void theMetricKeepsTheLatestPeakPerKindAndIgnoresUnmeasuredRounds() {
    FederationMetrics metrics = new FederationMetrics();
    metrics.trainingMemory(5L << 30, "device");
    metrics.trainingMemory(0, "device");
    assertEquals(5L << 30, metrics.trainingMemory("device"));
  }
}
