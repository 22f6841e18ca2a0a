package io.fedmllm.hf;

import io.fedmllm.hf.image.ImagePrompt;
import io.fedmllm.hf.image.ImageProcessor;
import io.fedmllm.hf.image.ProcessedImage;
import io.fedmllm.hf.image.RgbImage;
import java.nio.file.Path;

/**
 * A checkpoint's processor: chat template, tokenizer and image processor together, turning one user turn (an image,
 * then text) into the model inputs transformers' processor produces for
 * {@code processor(text=apply_chat_template(messages, add_generation_prompt=True), images=[image])}.
 */
public final class HfProcessor implements AutoCloseable {

  private final ChatTemplate template;
  private final PromptTokenizer tokenizer;
  private final ImageProcessor images;

  private HfProcessor(ChatTemplate template, PromptTokenizer tokenizer, ImageProcessor images) {
    this.template = template;
    this.tokenizer = tokenizer;
    this.images = images;
  }

  public static HfProcessor read(Path dir) throws CheckpointException {
    ChatTemplate template = ChatTemplate.read(dir);
    ImageProcessor images;
    try {
      images = new ImageProcessor(ImageProcessorConfig.read(dir));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return new HfProcessor(template, PromptTokenizer.read(dir), images);
  }

  /** The model inputs of one turn: prompt token ids and, with an image, its pixel values. */
  public record Inputs(String prompt, long[] inputIds, ProcessedImage image) {}

  public Inputs userTurn(RgbImage image, String text) throws CheckpointException {
    return userTurn(images.process(image), text);
  }

  /** As {@link #userTurn(RgbImage, String)} with the image already processed (e.g. cached per sample). */
  public Inputs userTurn(ProcessedImage pixels, String text) throws CheckpointException {
    String rendered = template.renderUserTurn(true, text);
    ImageProcessorConfig config = images.config();
    String prompt;
    try {
      prompt = ImagePrompt.expand(rendered, config.tokens(), pixels, config.kind().splitsIntoTiles());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(template.source() + ": " + e.getMessage(), e);
    }
    return new Inputs(prompt, tokenizer.encode(prompt), pixels);
  }

  public Inputs textTurn(String text) throws CheckpointException {
    String prompt = template.renderUserTurn(false, text);
    return new Inputs(prompt, tokenizer.encode(prompt), null);
  }

  /** The token ids of the completion that follows a user turn when the assistant answers {@code answer}. */
  public long[] answer(boolean withImage, String text, String answer) throws CheckpointException {
    return tokenizer.encode(template.renderAnswer(withImage, text, answer));
  }

  public ImageProcessor images() {
    return images;
  }

  public ChatTemplate template() {
    return template;
  }

  public PromptTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
