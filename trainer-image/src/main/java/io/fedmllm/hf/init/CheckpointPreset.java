package io.fedmllm.hf.init;

import io.fedmllm.hf.ModelFamily;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sizes of a random-weight checkpoint {@link RandomCheckpoint} writes.
 *
 * <ul>
 *   <li>{@code tiny}: trains in seconds on two CPU cores (text hidden 64, 2 layers, GQA 4/2; vision 48 px images in
 *       8 px patches, hidden 64, 2 layers); SmolVLM without image splitting (one 48 px tile, 9 image tokens), LLaVA
 *       with a CLIP tower (36 image tokens).
 *   <li>{@code smolvlm-256m}: the sizes of HuggingFaceTB/SmolVLM-256M-Instruct's config ({@code idefics3}: SmolLM2
 *       decoder hidden 576, 30 layers, 9 / 3 heads, intermediate 1536, vocabulary 49280, rope theta 100000, untied
 *       head; SigLIP tower hidden 768, 12 layers, 512 px tiles in 16 px patches; scale factor 4, 64 image tokens per
 *       tile; splitting into 512 px tiles after resizing the longest edge to 2048), about 256 M parameters. Only the
 *       token ids differ: the built-in tokenizer's, with the special tokens after its vocabulary.
 * </ul>
 *
 * @param vocabSize the decoder's vocabulary, or 0 for the tokenizer's size
 * @param idefics3 written as {@code Idefics3ForConditionalGeneration} (the hub's SmolVLM checkpoints) rather than
 *     {@code SmolVLMForConditionalGeneration}
 * @param imageSplitting SmolVLM only: tiles of {@code imageSize} px plus a global view, up to {@code longestEdge}
 * @param longestEdge SmolVLM only: the picture's longest side after the first resize
 */
public record CheckpointPreset(String name, ModelFamily family, int vocabSize, boolean idefics3, int textHidden,
    int textIntermediate, int textLayers, int heads, int keyValueHeads, boolean tiedEmbeddings, double ropeTheta,
    int maxPositions, int visionHidden, int visionIntermediate, int visionLayers, int visionHeads, int imageSize,
    int patchSize, int scaleFactor, boolean imageSplitting, int longestEdge) {

  public static final String TINY = "tiny";
  public static final String SMOLVLM_256M = "smolvlm-256m";
  public static final List<String> NAMES = List.of(TINY, SMOLVLM_256M);

  /** The preset named {@code name} for {@code family}; an unknown name is an error listing the known ones. */
  public static CheckpointPreset of(String name, ModelFamily family) {
    if (TINY.equals(name)) {
      return tiny(family);
    }
    if (SMOLVLM_256M.equals(name)) {
      if (family != ModelFamily.SMOLVLM) {
        throw new IllegalArgumentException("preset " + name + " is a smolvlm checkpoint, not "
            + family.name().toLowerCase(Locale.ROOT));
      }
      return smolvlm256m();
    }
    throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + String.join(", ", NAMES) + ")");
  }

  public static CheckpointPreset tiny(ModelFamily family) {
    return switch (family) {
      case SMOLVLM -> new CheckpointPreset(TINY, family, 0, false, 64, 128, 2, 4, 2, true, 100000.0, 512, 64, 128,
          2, 4, 48, 8, 2, false, 48);
      case LLAVA -> new CheckpointPreset(TINY, family, 0, false, 64, 128, 2, 4, 2, false, 10000.0, 512, 64, 128, 2,
          4, 48, 8, 1, false, 48);
    };
  }

  public static CheckpointPreset smolvlm256m() {
    return new CheckpointPreset(SMOLVLM_256M, ModelFamily.SMOLVLM, 49280, true, 576, 1536, 30, 9, 3, false,
        100000.0, 8192, 768, 3072, 12, 12, 512, 16, 4, true, 2048);
  }

  /** The same sizes with SmolVLM's image splitting on or off (one tile per picture when off). */
  public CheckpointPreset withImageSplitting(boolean splitting) {
    if (family != ModelFamily.SMOLVLM) {
      throw new IllegalArgumentException("image splitting is a smolvlm setting");
    }
    return new CheckpointPreset(name, family, vocabSize, idefics3, textHidden, textIntermediate, textLayers, heads,
        keyValueHeads, tiedEmbeddings, ropeTheta, maxPositions, visionHidden, visionIntermediate, visionLayers,
        visionHeads, imageSize, patchSize, scaleFactor, splitting, longestEdge);
  }

  /** The family named on the command line: {@code smolvlm} or {@code llava}. */
  public static ModelFamily family(String name) {
    return Arrays.stream(ModelFamily.values()).filter(f -> f.name().toLowerCase(Locale.ROOT).equals(name))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown family '" + name + "' (known: "
            + String.join(", ", Arrays.stream(ModelFamily.values()).map(f -> f.name().toLowerCase(Locale.ROOT))
                .toList()) + ")"));
  }

  /** Image tokens of one tile (SmolVLM) or one picture (LLaVA, CLIP strategy default). */
  public int imageTokensPerTile() {
    int side = imageSize / patchSize;
    return side * side / (scaleFactor * scaleFactor);
  }
}
