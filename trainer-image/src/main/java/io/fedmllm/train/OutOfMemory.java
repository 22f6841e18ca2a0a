package io.fedmllm.train;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises libtorch's out-of-memory errors (CUDA's caching allocator and the CPU allocator, as DJL passes them on)
 * and turns them into one line that names what the user can change. Without this a trainer whose configured
 * micro-batch does not fit on its GPU dies with a multi-line C++ stack in the middle of a round; with it, the first
 * micro-batch that does not fit fails the client with a reason the aggregator records and the operator shows.
 */
public final class OutOfMemory {

  /** The allocator's first sentences (size asked for, capacity, free), without its breakdown and stack. */
  private static final Pattern CUDA = Pattern.compile(
      "CUDA out of memory\\.? *(.*?)\\.? *(?:Of the allocated|Including non-PyTorch|If reserved|\\n|$)");
  private static final Pattern CPU = Pattern.compile(
      "(DefaultCPUAllocator: (can't|not enough memory)[^\\n]*?)(: you tried to allocate (\\d+) bytes)?(\\.|\\n|$)");

  private OutOfMemory() {}

  /**
   * The one-line reason when {@code failure} (or a cause) is an allocator's out-of-memory error.
   *
   * @param batchSize {@code spec.training.batchSize}
   * @param gradientAccumulation {@code spec.training.gradientAccumulation}
   */
  public static Optional<String> explain(Throwable failure, int batchSize, int gradientAccumulation) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message == null) {
        continue;
      }
      Matcher cuda = CUDA.matcher(message);
      if (cuda.find()) {
        String detail = cuda.group(1).isBlank() ? "" : " (" + cuda.group(1).strip() + ")";
        return Optional.of(advice("CUDA out of memory" + detail, batchSize, gradientAccumulation));
      }
      Matcher cpu = CPU.matcher(message);
      if (cpu.find()) {
        String detail = cpu.group(4) == null ? ""
            : String.format(Locale.ROOT, " (tried to allocate %.1f MiB)", Long.parseLong(cpu.group(4)) / 1048576.0);
        return Optional.of(advice("out of host memory" + detail, batchSize, gradientAccumulation));
      }
    }
    return Optional.empty();
  }

  private static String advice(String what, int batchSize, int gradientAccumulation) {
    String smaller = batchSize > 1
        ? String.format(Locale.ROOT, "lower spec.training.batchSize (now %d) and raise spec.training."
            + "gradientAccumulation (now %d) to keep the effective batch, e.g. %d x %d", batchSize,
            gradientAccumulation, Math.max(1, batchSize / 2), gradientAccumulation * 2)
        : "spec.training.batchSize is 1 already: give the pod more memory (resources.limits) or a GPU with more "
            + "memory, or train fewer LoRA target modules";
    return "the configured micro-batch does not fit in memory: " + what + "; " + smaller;
  }
}
