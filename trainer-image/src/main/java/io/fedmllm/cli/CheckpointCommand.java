package io.fedmllm.cli;

import io.fedmllm.engine.LibtorchOrigin;
import io.fedmllm.hf.init.CheckpointPreset;
import io.fedmllm.hf.init.RandomCheckpoint;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.hf.HfFoundation;
import io.fedmllm.model.SampleImages;
import io.fedmllm.train.DeviceChoice;
import io.fedmllm.train.DevicePreference;
import io.fedmllm.train.LocalTrainer;
import io.fedmllm.train.LocalUpdate;
import io.fedmllm.train.TrainingConfig;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Hugging Face checkpoint tools: {@code init} writes a random-weight checkpoint directory; {@code random-adapter} a
 * LoRA adapter for a checkpoint with random non-zero factors, and {@code train-adapter} one trained by the
 * federation's local trainer on generated samples, both named and configured as a federation writes its adapters (for
 * checking another stack's reading of them, e.g. tools/hf_reference/check_peft_adapter.sh); {@code bench} times a
 * LoRA step.
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = "Hugging Face checkpoint tools.",
    subcommands = {CheckpointCommand.Init.class, CheckpointCommand.RandomAdapter.class,
        CheckpointCommand.TrainAdapter.class, CheckpointBenchCommand.class,
        CommandLine.HelpCommand.class})
final class CheckpointCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Write a seeded random-weight checkpoint in transformers' save_pretrained layout.")
  static final class Init implements Callable<Integer> {

    @Option(names = "--family", required = true, paramLabel = "smolvlm|llava", description = "Model family.")
    String family;

    @Option(names = "--preset", defaultValue = CheckpointPreset.TINY,
        description = "Sizes: tiny, or smolvlm-256m (SmolVLM-256M-Instruct's config, about 1 GB of F32 weights; "
            + "default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seed", defaultValue = "1234", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--image-splitting", arity = "1", paramLabel = "true|false",
        description = "SmolVLM: split pictures into tiles plus a global view (default: as the preset).")
    Boolean imageSplitting;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New checkpoint directory.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CheckpointPreset sizes = CheckpointPreset.of(preset, CheckpointPreset.family(family));
      if (imageSplitting != null) {
        sizes = sizes.withImageSplitting(imageSplitting);
      }
      RandomCheckpoint.write(out, sizes, seed);
      spec.commandLine().getOut().println("wrote " + family + " checkpoint (preset " + sizes.name() + ", seed "
          + seed + ") to " + out);
      return 0;
    }
  }

  @Command(name = "random-adapter", mixinStandardHelpOptions = true,
      description = "Write a LoRA adapter with random non-zero A and B for a checkpoint, in the PEFT layout (names, "
          + "adapter_config.json) federations write.")
  static final class RandomAdapter implements Callable<Integer> {

    @Mixin AdapterOptions adapter;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--b-scale", defaultValue = "0.05",
        description = "Half-width of B's uniform values (default: ${DEFAULT-VALUE}); A as PEFT initialises it.")
    double bScale;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      LoraConfig lora = new LoraConfig(adapter.r, adapter.alpha, 0f, adapter.targets);
      try (HfFoundation base = HfFoundation.load(adapter.model, adapter.model.getFileName().toString(),
          spec.commandLine().getErr()::println)) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        TensorMap.Builder tensors = TensorMap.builder();
        for (Map.Entry<String, Tensor> e : base.initialAdapter(lora, seed)) {
          Tensor t = e.getValue();
          if (e.getKey().endsWith(".lora_B.weight")) {
            float[] b = new float[t.size()];
            for (int i = 0; i < b.length; i++) {
              b[i] = (float) ((random.nextDouble() * 2 - 1) * bScale);
            }
            t = new Tensor(t.shape(), b);
          }
          tensors.put(e.getKey(), t);
        }
        TensorMap written = tensors.build();
        AdapterFiles.write(adapter.out, base.adapterConfig(lora, true), written);
        spec.commandLine().getOut().println("wrote " + adapter.out + ": " + written.size() / 2 + " LoRA modules (r "
            + adapter.r + ", alpha " + adapter.alpha + ", " + adapter.targets + ") for " + adapter.model);
      }
      return 0;
    }
  }

  /** The options both adapter writers share: the checkpoint, where to write, and the LoRA settings. */
  static final class AdapterOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint directory.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Adapter directory to write.")
    Path out;

    @Option(names = "--r", defaultValue = "4", description = "Rank (default: ${DEFAULT-VALUE}).")
    int r;

    @Option(names = "--alpha", defaultValue = "8", description = "lora_alpha (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--targets", split = ",", defaultValue = "q_proj,k_proj,v_proj,o_proj",
        description = "Decoder projections (default: ${DEFAULT-VALUE}).")
    List<String> targets;
  }

  private static boolean finite(TensorMap tensors) {
    for (Map.Entry<String, Tensor> e : tensors) {
      for (float v : e.getValue().data()) {
        if (!Float.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  @Command(name = "train-adapter", mixinStandardHelpOptions = true,
      description = "Train a LoRA adapter on a checkpoint with the federation's local trainer (AdamW, generated "
          + "Hateful-Memes-style samples) and write it in the PEFT layout federations write.")
  static final class TrainAdapter implements Callable<Integer> {

    @Mixin AdapterOptions adapter;

    @Option(names = "--steps", defaultValue = "20", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--samples", defaultValue = "16", description = "Training samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--lr", defaultValue = "0.02", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda",
        description = "Put the checkpoint on this device, chosen as a trainer chooses for spec.training.device "
            + "(default: the engine's default manager, the CPU without a GPU; tools/gpu-check.sh compares cpu and "
            + "cuda).")
    String device;

    @Spec CommandSpec spec;

    private HfFoundation load() throws java.io.IOException {
      java.util.function.Consumer<String> report = spec.commandLine().getErr()::println;
      Path model = adapter.model;
      String name = model.getFileName().toString();
      if (device == null) {
        return HfFoundation.load(model, name, report);
      }
      DevicePreference preference;
      try {
        preference = DevicePreference.valueOf(device.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--device: " + device + " is not one of auto, cpu, cuda");
      }
      spec.commandLine().getErr().println(LibtorchOrigin.ofThisProcess().requireRequested().describe());
      DeviceChoice choice = DeviceChoice.forThisProcess(preference);
      spec.commandLine().getErr().println(choice.describe());
      return HfFoundation.load(model, name, report, choice.device());
    }

    @Override
    public Integer call() throws Exception {
      LoraConfig lora = new LoraConfig(adapter.r, adapter.alpha, 0.05f, adapter.targets);
      List<Sample> data = new SyntheticGenerator(seed).pool(Task.HATEFUL, samples);
      try (HfFoundation base = load()) {
        SampleImages images = base.newImageCache();
        TrainingConfig training = TrainingConfig.paperDefault(4, 1).withLocalSteps(steps);
        TensorMap initial = base.initialAdapter(lora, seed);
        LocalTrainer measure = new LocalTrainer(base, lora, training.withLocalSteps(1));
        double before = measure.train(initial, data, images, 0, seed, List.of()).meanLoss();
        LocalUpdate update = new LocalTrainer(base, lora, training)
            .train(initial, data, images, learningRate, seed, List.of());
        double after = measure.train(update.adapter(), data, images, 0, seed, List.of()).meanLoss();
        if (!Double.isFinite(update.meanLoss()) || !Double.isFinite(after) || !finite(update.adapter())) {
          throw new IllegalStateException("training gave non-finite values (mean training loss "
              + update.meanLoss() + ", batch loss after " + after + "); nothing written to " + adapter.out);
        }
        AdapterFiles.write(adapter.out, base.adapterConfig(lora, true), update.adapter());
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d LoRA modules (r %d, alpha %s, %s) trained %d "
            + "steps on %d samples; batch loss %.4f -> %.4f%n", adapter.out, update.adapter().size() / 2, adapter.r,
            adapter.alpha, adapter.targets,
            update.steps(), samples, before, after);
      }
      return 0;
    }
  }
}
