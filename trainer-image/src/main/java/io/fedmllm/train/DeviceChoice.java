package io.fedmllm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The device a process puts its base model on, from {@code spec.training.device} and the GPUs it can see. The choice
 * is a pure function of the preference and an injected list of visible GPUs, so both the GPU and the CPU branch are
 * reached by tests on a machine without a GPU; {@link #visibleGpus()} is the only part that asks the machine.
 *
 * @param device the chosen device
 * @param reason why, for the log line
 */
public record DeviceChoice(Device device, String reason) {

  /** The spec field the preference comes from, named in errors. */
  public static final String FIELD = "spec.training.device";

  private static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";
  /** A CUDA_VISIBLE_DEVICES entry CUDA accepts: an ordinal, or a GPU/MIG UUID (prefix enough). */
  private static final Pattern DEVICE_ENTRY = Pattern.compile("\\d+|(GPU|MIG)-[0-9A-Za-z/-]+");

  /**
   * Picks the device: the first visible GPU for {@code auto} and {@code cuda}, the CPU for {@code cpu} and for
   * {@code auto} without a GPU.
   *
   * @param gpus the CUDA GPUs this process can use, in CUDA's order
   * @throws IllegalArgumentException naming {@link #FIELD} when {@code cuda} is asked for and none is visible
   */
  public static DeviceChoice choose(DevicePreference preference, List<Device> gpus) {
    for (Device gpu : gpus) {
      if (!gpu.isGpu()) {
        throw new IllegalArgumentException("not a GPU: " + gpu);
      }
    }
    return switch (preference) {
      case CPU -> new DeviceChoice(Device.cpu(), FIELD + " is cpu" + visible(gpus));
      case AUTO -> gpus.isEmpty()
          ? new DeviceChoice(Device.cpu(), FIELD + " is auto" + visible(gpus))
          : new DeviceChoice(gpus.get(0), FIELD + " is auto" + visible(gpus));
      case CUDA -> {
        if (gpus.isEmpty()) {
          throw new IllegalArgumentException(FIELD + " is cuda, but this process sees no CUDA GPU (request "
              + "nvidia.com/gpu for the pod and run the GPU trainer image, or set " + FIELD + " to auto or cpu)");
        }
        yield new DeviceChoice(gpus.get(0), FIELD + " is cuda" + visible(gpus));
      }
    };
  }

  /**
   * The aggregator's device for scoring global adapters: a GPU when its pod was given one
   * ({@code spec.aggregatorResources}) unless the preference is {@code cpu}. Unlike a trainer, an aggregator without
   * a GPU never fails for {@code cuda}: that preference is about where the trainers train, and the aggregator pod
   * requests no GPU unless asked to, so it evaluates on the CPU and says so.
   */
  public static DeviceChoice forAggregator(DevicePreference preference, List<Device> gpus) {
    if (preference == DevicePreference.CUDA && gpus.isEmpty()) {
      return new DeviceChoice(Device.cpu(), FIELD + " is cuda, but the aggregator sees no GPU: evaluating on the "
          + "CPU (give it one in spec.aggregatorResources to evaluate there)");
    }
    return choose(preference, gpus);
  }

  private static String visible(List<Device> gpus) {
    return gpus.isEmpty() ? ", no GPU visible" : ", " + gpus.size() + " GPU(s) visible";
  }

  /**
   * The GPUs a process can use: as many as the engine counts, but none beyond what {@code CUDA_VISIBLE_DEVICES}
   * lists when it is set (the NVIDIA device plugin sets it to the pod's GPUs; an empty value or {@code -1} hides
   * all). CUDA stops reading the list at the first entry it does not accept, and so does this.
   *
   * @param engineGpus the engine's GPU count ({@link Engine#getGpuCount()}: 0 with CPU-only natives)
   * @param cudaVisibleDevices the variable's value, empty when unset
   */
  public static List<Device> visibleGpus(int engineGpus, Optional<String> cudaVisibleDevices) {
    int count = engineGpus;
    if (cudaVisibleDevices.isPresent()) {
      int listed = 0;
      for (String entry : cudaVisibleDevices.get().split(",", -1)) {
        if (!DEVICE_ENTRY.matcher(entry.trim()).matches()) {
          break;
        }
        listed++;
      }
      count = Math.min(count, listed);
    }
    List<Device> gpus = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      gpus.add(Device.gpu(i));
    }
    return List.copyOf(gpus);
  }

  /** The GPUs this process can use, from the default engine and the environment. */
  public static List<Device> visibleGpus() {
    return visibleGpus(Engine.getInstance().getGpuCount(), Optional.ofNullable(System.getenv(CUDA_VISIBLE_DEVICES)));
  }

  /** This process's device for {@code preference}, from {@link #visibleGpus()}. */
  public static DeviceChoice forThisProcess(DevicePreference preference) {
    return choose(preference, visibleGpus());
  }

  /** The log line, e.g. {@code device: gpu(0) (spec.training.device is auto, 1 GPU(s) visible)}. */
  public String describe() {
    return String.format(Locale.ROOT, "device: %s (%s)", device, reason);
  }
}
