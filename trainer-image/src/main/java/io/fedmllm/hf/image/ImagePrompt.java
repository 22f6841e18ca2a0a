package io.fedmllm.hf.image;

import io.fedmllm.hf.ImageProcessorConfig.ImageTokens;

/**
 * The text a processor writes for one image in place of the template's image token. LLaVA: the image token once per
 * vision feature row; SmolVLM / Idefics3: per tile {@code <fake_token_around_image><row_R_col_C>} and
 * {@code image_seq_len} image tokens, a newline after each tile row, then the global view
 * {@code \n<fake_token_around_image><global-img>...<fake_token_around_image>}; an unsplit picture is the global
 * part alone without the leading newline.
 */
public final class ImagePrompt {

  private ImagePrompt() {}

  public static String expansion(ImageTokens tokens, ProcessedImage image, boolean tiled) {
    if (!tiled) {
      int count = (image.height() / tokens.patchSize()) * (image.width() / tokens.patchSize()) + tokens.additional()
          - (tokens.dropsClassToken() ? 1 : 0);
      return tokens.image().repeat(count);
    }
    String perTile = tokens.image().repeat(tokens.seqLen());
    String global = tokens.fakeAround() + tokens.global() + perTile + tokens.fakeAround();
    if (image.rows() == 0 && image.cols() == 0) {
      return global;
    }
    StringBuilder out = new StringBuilder();
    for (int r = 1; r <= image.rows(); r++) {
      for (int c = 1; c <= image.cols(); c++) {
        out.append(tokens.fakeAround()).append("<row_").append(r).append("_col_").append(c).append('>')
            .append(perTile);
      }
      out.append('\n');
    }
    return out.append('\n').append(global).toString();
  }

  /** Replaces the single image token of a rendered prompt by the image's expansion. */
  public static String expand(String prompt, ImageTokens tokens, ProcessedImage image, boolean tiled) {
    int at = prompt.indexOf(tokens.image());
    if (at < 0 || prompt.indexOf(tokens.image(), at + 1) >= 0) {
      throw new IllegalArgumentException("the rendered prompt must hold the image token " + tokens.image()
          + " exactly once for one image: " + prompt);
    }
    return prompt.substring(0, at) + expansion(tokens, image, tiled) + prompt.substring(at + tokens.image().length());
  }
}
