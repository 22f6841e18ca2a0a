package io.fedmllm.hf.init;

import io.fedmllm.hf.ModelFamily;
import java.util.Arrays;
import java.util.Locale;

/**
 * The sizes of a random-weight checkpoint {@link RandomCheckpoint} writes. {@code tiny}: a model that trains in
 * seconds on two CPU cores (text hidden 64, 2 layers, GQA 4/2; vision 48 px images in 8 px patches, hidden 64, 2
 * layers), SmolVLM without image splitting (one 48 px tile, 9 image tokens) and LLaVA with a CLIP tower (36 image
 * tokens).
 *
 * @param imageSplitting SmolVLM only: tiles of {@code imageSize} px plus a global view, up to {@code longestEdge}
 * @param longestEdge SmolVLM only: the picture's longest side after the first resize
 */
public record CheckpointPreset(String name, ModelFamily family, int textHidden, int textIntermediate, int textLayers,
    int heads, int keyValueHeads, boolean tiedEmbeddings, double ropeTheta, int maxPositions, int visionHidden,
    int visionIntermediate, int visionLayers, int visionHeads, int imageSize, int patchSize, int scaleFactor,
    boolean imageSplitting, int longestEdge) {

  public static final String TINY = "tiny";

  /** The preset named {@code name} for {@code family}; an unknown name is an error listing the known ones. */
  public static CheckpointPreset of(String name, ModelFamily family) {
    if (TINY.equals(name)) {
      return tiny(family);
    }
    throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + TINY + ")");
  }

  public static CheckpointPreset tiny(ModelFamily family) {
    return switch (family) {
      case SMOLVLM -> new CheckpointPreset(TINY, family, 64, 128, 2, 4, 2, true, 100000.0, 512, 64, 128, 2, 4, 48,
          8, 2, false, 48);
      case LLAVA -> new CheckpointPreset(TINY, family, 64, 128, 2, 4, 2, false, 10000.0, 512, 64, 128, 2, 4, 48, 8,
          1, false, 48);
    };
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
