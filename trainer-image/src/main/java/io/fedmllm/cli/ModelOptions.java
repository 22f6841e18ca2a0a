package io.fedmllm.cli;

import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which base model a command uses: a preset name or a config file, pre-trained and cached on first use. */
final class ModelOptions {
  /** Seed of the synthetic public split the built-in bases are pre-trained on. */
  static final long PUBLIC_DATA_SEED = 11;

  @Option(
      names = "--model",
      defaultValue = "tiny",
      description = "Model preset (tiny, small) or path to a model config JSON (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--tokenizer", description = "tokenizer.json to use instead of the built-in one.")
  Path tokenizer;

  ModelConfig config() throws IOException {
    Path file = Path.of(model);
    return model.endsWith(".json") || Files.exists(file) ? ModelConfig.read(file) : ModelConfig.preset(model);
  }

  TextTokenizer loadTokenizer() throws IOException {
    return tokenizer == null ? TextTokenizer.builtIn() : TextTokenizer.load(tokenizer);
  }

  BaseModel loadBase() throws IOException {
    ModelConfig config = config();
    return BaseCache.standard()
        .loadOrPretrain(config, loadTokenizer(), BaseCache.defaultSettings(config), PUBLIC_DATA_SEED, System.err);
  }
}
