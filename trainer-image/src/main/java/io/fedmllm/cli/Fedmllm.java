package io.fedmllm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedmllm} command line: one entry point, one subcommand per job. */
@Command(
    name = "fedmllm",
    mixinStandardHelpOptions = true,
    version = "fedmllm 0.1.0",
    description = "Federated fine-tuning of multimodal LLMs under modality heterogeneity.",
    subcommands = {
      PretrainCommand.class,
      LocalCommand.class,
      SimulateCommand.class,
      BenchmarkCommand.class,
      EngineBenchmarkCommand.class,
      CorpusCommand.class,
      LogitsCommand.class,
      CheckpointCommand.class,
      AggregatorCommand.class,
      TrainerCommand.class,
      ProtocolBenchmarkCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Fedmllm implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by tests to run commands in-process). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Fedmllm());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("fedmllm: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
