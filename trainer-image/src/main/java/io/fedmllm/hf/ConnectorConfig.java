package io.fedmllm.hf;

import java.util.List;

/** How a family turns vision-tower outputs into decoder embeddings. */
public sealed interface ConnectorConfig {

  /**
   * SmolVLM / Idefics3: pixel shuffle by {@code scaleFactor} (a tile's patches / scaleFactor^2 tokens, each
   * scaleFactor^2 times as wide), then a bias-free linear map {@code modality_projection.proj}.
   */
  record PixelShuffle(int scaleFactor) implements ConnectorConfig {}

  /**
   * LLaVA: hidden states of {@code featureLayers} (before {@code post_layernorm}; several are concatenated), the
   * class token dropped when {@code selectStrategy} is {@code default}, then {@code linear_1}, {@code act},
   * {@code linear_2}.
   */
  record LlavaProjector(List<Integer> featureLayers, String selectStrategy, String act, boolean bias)
      implements ConnectorConfig {
    public LlavaProjector {
      featureLayers = List.copyOf(featureLayers);
    }

    public boolean dropsClassToken() {
      return selectStrategy.equals("default");
    }
  }
}
