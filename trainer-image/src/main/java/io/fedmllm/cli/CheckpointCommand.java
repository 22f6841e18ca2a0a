package io.fedmllm.cli;

import io.fedmllm.hf.init.CheckpointPreset;
import io.fedmllm.hf.init.RandomCheckpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Hugging Face checkpoint tools: {@code init} writes a random-weight checkpoint directory. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = "Hugging Face checkpoint tools.",
    subcommands = {CheckpointCommand.Init.class, CommandLine.HelpCommand.class})
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
        description = "Sizes (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seed", defaultValue = "1234", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New checkpoint directory.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CheckpointPreset sizes = CheckpointPreset.of(preset, CheckpointPreset.family(family));
      RandomCheckpoint.write(out, sizes, seed);
      spec.commandLine().getOut().println("wrote " + family + " checkpoint (preset " + sizes.name() + ", seed "
          + seed + ") to " + out);
      return 0;
    }
  }
}
