package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

  private static final List<Device> NO_GPU = List.of();
  private static final List<Device> TWO_GPUS = List.of(Device.gpu(0), Device.gpu(1));

  @Test
  void autoTakesTheFirstVisibleGpu() {
    DeviceChoice choice = DeviceChoice.choose(DevicePreference.AUTO, TWO_GPUS);
    assertEquals(Device.gpu(0), choice.device());
    assertEquals("device: gpu(0) (spec.training.device is auto, 2 GPU(s) visible)", choice.describe());
  }

  @Test
  void autoFallsBackToTheCpuWithoutAGpu() {
    DeviceChoice choice = DeviceChoice.choose(DevicePreference.AUTO, NO_GPU);
    assertEquals(Device.cpu(), choice.device());
    assertEquals("device: cpu() (spec.training.device is auto, no GPU visible)", choice.describe());
  }

  @Test
  void cpuIgnoresVisibleGpus() {
    assertEquals(Device.cpu(), DeviceChoice.choose(DevicePreference.CPU, TWO_GPUS).device());
    assertEquals(Device.cpu(), DeviceChoice.choose(DevicePreference.CPU, NO_GPU).device());
  }

  @Test
  void cudaTakesAVisibleGpuOrFailsNamingTheField() {
    assertEquals(Device.gpu(0), DeviceChoice.choose(DevicePreference.CUDA, List.of(Device.gpu(0))).device());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeviceChoice.choose(DevicePreference.CUDA, NO_GPU));
    assertTrue(e.getMessage().startsWith("spec.training.device is cuda, but this process sees no CUDA GPU"),
        e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'));
  }

  @Test
  void onlyGpusCountAsVisibleGpus() {
    assertThrows(IllegalArgumentException.class,
        () -> DeviceChoice.choose(DevicePreference.AUTO, List.of(Device.cpu())));
  }

  @Test
  void engineCountIsCappedByCudaVisibleDevices() {
    assertEquals(TWO_GPUS, DeviceChoice.visibleGpus(2, Optional.empty()));
    assertEquals(NO_GPU, DeviceChoice.visibleGpus(0, Optional.of("0")));
    assertEquals(List.of(Device.gpu(0)), DeviceChoice.visibleGpus(4, Optional.of("3")));
    assertEquals(TWO_GPUS, DeviceChoice.visibleGpus(2, Optional.of("GPU-8f3c1a2b-77de-4a0e-9c1d-0123456789ab,1")));
    assertEquals(List.of(Device.gpu(0)), DeviceChoice.visibleGpus(2, Optional.of("MIG-GPU-8f3c1a2b/1/0")));
  }

  @Test
  void cudaVisibleDevicesCanHideEveryGpu() {
    assertEquals(NO_GPU, DeviceChoice.visibleGpus(2, Optional.of("")));
    assertEquals(NO_GPU, DeviceChoice.visibleGpus(2, Optional.of("-1")));
    assertEquals(NO_GPU, DeviceChoice.visibleGpus(2, Optional.of("void")));
    // CUDA stops at the first entry it does not accept
    assertEquals(List.of(Device.gpu(0)), DeviceChoice.visibleGpus(2, Optional.of("1,-1,0")));
  }

  @Test
  void autoThenPicksTheCpuWhenTheVariableHidesTheGpus() {
    assertEquals(Device.cpu(),
        DeviceChoice.choose(DevicePreference.AUTO, DeviceChoice.visibleGpus(2, Optional.of(""))).device());
    assertEquals(Device.gpu(0),
        DeviceChoice.choose(DevicePreference.AUTO, DeviceChoice.visibleGpus(1, Optional.of("0"))).device());
  }
  @Test
  void anAggregatorEvaluatesOnItsGpuAndOnTheCpuWithoutOneEvenForCuda() {
    assertEquals(Device.gpu(0), DeviceChoice.forAggregator(DevicePreference.AUTO, TWO_GPUS).device());
    assertEquals(Device.gpu(0), DeviceChoice.forAggregator(DevicePreference.CUDA, TWO_GPUS).device());
    assertEquals(Device.cpu(), DeviceChoice.forAggregator(DevicePreference.CPU, TWO_GPUS).device());
    assertEquals(Device.cpu(), DeviceChoice.forAggregator(DevicePreference.AUTO, NO_GPU).device());
    DeviceChoice cuda = DeviceChoice.forAggregator(DevicePreference.CUDA, NO_GPU);
    assertEquals(Device.cpu(), cuda.device());
    assertTrue(cuda.describe().contains("the aggregator sees no GPU: evaluating on the CPU"), cuda.describe());
  }
}
