package io.fedmllm.hf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint's {@code tokenizer.json} through DJL's binding of Hugging Face tokenizers. Prompts are encoded as
 * transformers' processors encode a rendered chat template: without adding special tokens (the template wrote them),
 * no truncation, no padding.
 */
public final class PromptTokenizer implements AutoCloseable {

  public static final String FILE = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;

  private PromptTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  public static PromptTokenizer read(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file + ": missing");
    }
    try {
      return new PromptTokenizer(HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(file + ": not a tokenizer this binding loads: " + e.getMessage(), e);
    }
  }

  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
