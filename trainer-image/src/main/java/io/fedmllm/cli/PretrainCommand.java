package io.fedmllm.cli;

import io.fedmllm.model.BaseCache;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.model.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Pre-trains a base centrally on the synthetic generator's public split (the stand-in for a downloaded pre-trained
 * MLLM) and caches it; with {@code --out} also writes a copy to a folder to ship to clients.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "Pre-train and cache a base model.")
final class PretrainCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(names = "--out", description = "Also write the base (model.safetensors) into this folder.")
  Path out;

  @Override
  public Integer call() throws Exception {
    ModelConfig config = model.config();
    TextTokenizer tokenizer = model.loadTokenizer();
    BaseCache cache = BaseCache.standard();
    Path cached =
        cache.weightsFile(config, tokenizer, BaseCache.defaultSettings(config), ModelOptions.PUBLIC_DATA_SEED);
    try (BaseModel base = model.loadBase()) {
      System.out.printf("base %s: %,d parameters, vocabulary %d, weights %s%n",
          config.name(), base.lm().parameterCount(), tokenizer.vocabSize(), cached);
      if (out != null) {
        Files.createDirectories(out);
        base.save(out.resolve(BaseModel.WEIGHTS_FILE));
        Files.writeString(out.resolve("model_config.json"), config.toJson());
        System.out.println("wrote " + out.resolve(BaseModel.WEIGHTS_FILE));
      }
    }
    return 0;
  }
}
