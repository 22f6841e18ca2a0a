package io.fedmllm.train;

/** The federation's {@code spec.training.device}: what {@link DeviceChoice} picks a trainer's device from. */
public enum DevicePreference {
  /** A visible CUDA GPU, else the CPU. */
  AUTO,
  /** The CPU, whatever is visible. */
  CPU,
  /** A visible CUDA GPU, or fail. */
  CUDA
}
