package io.fedmllm.cli;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.PromptEncoder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes the text corpus the built-in tokenizer is trained from (tools/tokenizer/train_tokenizer.py). */
@Command(name = "corpus", mixinStandardHelpOptions = true, description = "Write the tokenizer training corpus.")
final class CorpusCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Output text file.")
  Path out;

  @Option(names = "--samples", defaultValue = "3000", description = "Samples per task (default: ${DEFAULT-VALUE}).")
  int samples;

  @Override
  public Integer call() throws Exception {
    SyntheticGenerator generator = new SyntheticGenerator(1234);
    List<Sample> all = new ArrayList<>(generator.publicSplit(2 * samples));
    for (Task task : Task.values()) {
      all.addAll(generator.pool(task, samples));
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (Sample s : all) {
        w.println(s.text().orElse(""));
        w.println(s.instruction());
        w.println(Prompts.rewriteModalityAgnostic(s).instruction());
        w.println("Answer: " + PromptEncoder.completion(s, s.answer()));
      }
    }
    System.out.println("wrote " + all.size() + " samples' text to " + out);
    return 0;
  }
}
