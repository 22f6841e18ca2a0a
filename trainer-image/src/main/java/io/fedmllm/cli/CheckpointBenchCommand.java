package io.fedmllm.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fedmllm.engine.LibtorchOrigin;
import io.fedmllm.hf.ExpectedTensors;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.HfProcessor;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.hf.nn.MultimodalModel;
import io.fedmllm.tensor.lora.LoraNames;
import io.fedmllm.train.DeviceChoice;
import io.fedmllm.train.DeviceMemory;
import io.fedmllm.train.DevicePreference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One LoRA training step on a Hugging Face checkpoint, timed: the load (verification, weights into float32 arrays),
 * then forward, next-token loss and backward of one user turn (image positions and the first token not counted) with
 * LoRA on the decoder projections (A as PEFT initialises it, B zero), repeated; the peak RSS ({@code VmHWM}). The last
 * line is a JSON record, the format of tools/hf_reference/bench_lora_step.py, its transformers + PEFT peer.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time loading a checkpoint and one LoRA forward+backward step; print peak RSS.")
final class CheckpointBenchCommand implements Callable<Integer> {

  private static final List<String> MLP = List.of("gate_proj", "up_proj", "down_proj");

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint directory.")
  Path model;

  @Option(names = "--image", paramLabel = "IMG", description = "Picture of the turn (default: text only).")
  Path image;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Text of the turn.")
  String prompt;

  @Option(names = "--r", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
  int r;

  @Option(names = "--alpha", defaultValue = "16", description = "lora_alpha (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--targets", split = ",", defaultValue = "q_proj,k_proj,v_proj,o_proj",
      description = "Decoder projections with adapters (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(names = "--steps", defaultValue = "3", description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "auto|cpu|cuda",
      description = "Where the step runs, as spec.training.device chooses (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--base-dtype", defaultValue = "float32", paramLabel = "float32|float16",
      description = "Element type of the frozen weights, as spec.model.baseDtype (default: ${DEFAULT-VALUE}).")
  String baseDtype;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmup < 0) {
      throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0");
    }
    DataType weights = switch (baseDtype) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> DataType.FLOAT16;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--base-dtype: " + baseDtype + " is not float32 or float16");
    };
    DevicePreference preference;
    try {
      preference = DevicePreference.valueOf(device.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--device: " + device
          + " is not one of auto, cpu, cuda");
    }
    spec.commandLine().getErr().println(LibtorchOrigin.ofThisProcess().requireRequested().describe());
    DeviceChoice choice = DeviceChoice.forThisProcess(preference);
    spec.commandLine().getErr().println(choice.describe());
    RgbImage picture = image == null ? null : RgbImage.read(image);
    long start = System.nanoTime();
    try (HfCheckpoint checkpoint = HfCheckpoint.open(model, spec.commandLine().getErr()::println);
        HfProcessor processor = HfProcessor.read(model);
        NDManager manager = NDManager.newBaseManager(choice.device())) {
      MultimodalModel base = MultimodalModel.load(checkpoint, manager, weights);
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      long loadHwm = peakRssKib();
      HfProcessor.Inputs inputs = picture == null ? processor.textTurn(prompt) : processor.userTurn(picture, prompt);
      Map<String, NDArray> lora = initialLora(checkpoint, manager);
      MultimodalModel adapted = base.withAdapters(LoraAdapters.fromArrays(lora, alpha));
      List<Double> times = new ArrayList<>();
      float loss = 0;
      for (int i = 0; i < warmup + steps; i++) {
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray ids = step.create(inputs.inputIds());
          NDArray pixels = inputs.image() == null ? null
              : step.create(inputs.image().pixelValues(), new Shape(inputs.image().shape()));
          long t0 = System.nanoTime();
          loss = step(adapted, ids, pixels, inputs.inputIds(), checkpoint.config().imageTokenId(), step);
          double seconds = (System.nanoTime() - t0) / 1e9;
          if (i >= warmup) {
            times.add(seconds);
          }
        }
      }
      List<Double> sorted = new ArrayList<>(times);
      sorted.sort(null);
      double median = sorted.get(sorted.size() / 2);
      long hwm = peakRssKib();
      int tokens = inputs.inputIds().length;
      Optional<Double> deviceMib = DeviceMemory.usedMib(choice.device());
      spec.commandLine().getOut().printf(Locale.ROOT,
          "fedmllm (DJL %s, %s, %s base): load %.2f s, %d tokens, LoRA r %d on %s, step (forward+backward) median "
              + "%.3f s of %s (%.1f tokens/s), loss %.5f, peak RSS %.0f MiB (%.0f MiB after loading)%s%n",
          Engine.getInstance().getVersion(), choice.device(), baseDtype, loadSeconds, tokens, r, targets, median,
          times, tokens / median, loss, hwm / 1024.0, loadHwm / 1024.0,
          deviceMib.map(m -> String.format(Locale.ROOT, ", device memory in use %.0f MiB", m)).orElse(""));
      spec.commandLine().getOut().printf(Locale.ROOT,
          "RESULT {\"side\": \"fedmllm\", \"device\": \"%s\", \"load_seconds\": %.4f, \"tokens\": %d, "
              + "\"step_seconds\": %s, \"median_step_seconds\": %.5f, \"tokens_per_second\": %.3f, "
              + "\"loss\": %.6f, \"vm_hwm_mib\": %.1f, \"load_vm_hwm_mib\": %.1f, \"device_memory_mib\": %s}%n",
          choice.device().isGpu() ? "cuda" : "cpu", loadSeconds, tokens, times, median, tokens / median, loss,
          hwm / 1024.0, loadHwm / 1024.0, deviceMib.map(m -> String.format(Locale.ROOT, "%.1f", m)).orElse("null"));
    }
    return 0;
  }

  /** A [r, in] uniform in +-1/sqrt(in) (PEFT's Kaiming-uniform bound), B [out, r] zero, both trainable. */
  private Map<String, NDArray> initialLora(HfCheckpoint checkpoint, NDManager manager) {
    Map<String, long[]> shapes = ExpectedTensors.of(checkpoint.config());
    SplittableRandom random = new SplittableRandom(1);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int layer = 0; layer < checkpoint.config().text().layers(); layer++) {
      for (String projection : targets) {
        String module = "text.layers." + layer + (MLP.contains(projection) ? ".mlp." : ".self_attn.") + projection;
        long[] weight = shapes.get(module + ".weight");
        if (weight == null) {
          throw new IllegalArgumentException("--targets: " + projection + " is no decoder projection (" + module
              + ")");
        }
        float bound = (float) (1 / Math.sqrt(weight[1]));
        float[] a = new float[Math.toIntExact(r * weight[1])];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        NDArray aArray = manager.create(a, new Shape(r, weight[1]));
        NDArray bArray = manager.zeros(new Shape(weight[0], r));
        aArray.setRequiresGradient(true);
        bArray.setRequiresGradient(true);
        out.put(module + ".lora_" + LoraNames.Factor.A + ".weight", aArray);
        out.put(module + ".lora_" + LoraNames.Factor.B + ".weight", bArray);
      }
    }
    return out;
  }

  /** Mean next-token cross entropy over the text positions, back-propagated into the adapters. */
  private static float step(MultimodalModel model, NDArray ids, NDArray pixels, long[] tokens, int imageTokenId,
      NDManager manager) {
    int n = tokens.length - 1;
    long[] targets = new long[n];
    float[] mask = new float[n];
    int counted = 0;
    for (int t = 0; t < n; t++) {
      boolean counts = tokens[t + 1] != imageTokenId;
      targets[t] = tokens[t + 1];
      mask[t] = counts ? 1 : 0;
      counted += counts ? 1 : 0;
    }
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray logits = model.logits(ids, pixels).get("0:" + n + ", :");
      NDArray picked = logits.logSoftmax(-1).gather(manager.create(targets).expandDims(-1), -1).squeeze(-1);
      NDArray loss = picked.mul(manager.create(mask)).sum().mul(-1f / counted);
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  /** This process's peak resident set size in KiB ({@code VmHWM} of /proc/self/status), 0 where there is none. */
  static long peakRssKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
