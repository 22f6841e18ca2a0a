package io.fedmllm.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.Optional;

/** Memory in use on a GPU (CUDA's own count, {@code cudaMemGetInfo}: every process on the device), for reports. */
public final class DeviceMemory {

  private DeviceMemory() {}

  /** MiB in use on {@code device}; empty for the CPU (its figure is the process's RSS). */
  public static Optional<Double> usedMib(Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    MemoryUsage usage = CudaUtils.getGpuMemory(device);
    return Optional.of(usage.getUsed() / 1048576.0);
  }
}
