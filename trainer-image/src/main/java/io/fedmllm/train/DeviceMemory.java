package io.fedmllm.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Memory that training on a device holds, for the per-step report: on a GPU CUDA's own count ({@code cudaMemGetInfo},
 * every process on the device: what decides whether the next batch fits), on the CPU the process's resident set
 * (weights, activations and the JVM alike live there).
 */
public final class DeviceMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private final ToLongFunction<Device> gpuUsed;
  private final LongSupplier hostResident;

  /** @param gpuUsed bytes in use on a GPU device; @param hostResident the process's resident bytes (0: unknown) */
  DeviceMemory(ToLongFunction<Device> gpuUsed, LongSupplier hostResident) {
    this.gpuUsed = gpuUsed;
    this.hostResident = hostResident;
  }

  /** Reads CUDA's figure for a GPU, VmRSS of /proc/self/status for the CPU. */
  public static DeviceMemory system() {
    return new DeviceMemory(device -> CudaUtils.getGpuMemory(device).getUsed(), DeviceMemory::residentBytes);
  }

  /** Bytes in use for {@code device}; 0 when the figure cannot be read. */
  public long usedBytes(Device device) {
    return device.isGpu() ? gpuUsed.applyAsLong(device) : hostResident.getAsLong();
  }

  /** What {@link #usedBytes} measures on {@code device}, for logs and metric labels. */
  public static String kind(Device device) {
    return device.isGpu() ? "device" : "host-rss";
  }

  /** MiB in use on {@code device}; empty for the CPU (its figure is the process's RSS). */
  public static Optional<Double> usedMib(Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    return Optional.of(system().usedBytes(device) / 1048576.0);
  }

  /** VmRSS (kB) of /proc/self/status in bytes; 0 where there is no such file (not Linux): a report, not a failure. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
      return 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
