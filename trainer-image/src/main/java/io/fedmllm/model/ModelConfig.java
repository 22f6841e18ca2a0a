package io.fedmllm.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Architecture sizes of the multimodal LM: a ViT-style vision encoder, a projector and a causal decoder. Loaded from
 * a JSON file (presets {@code tiny} and {@code small} ship as resources), never hard-coded.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelConfig(
    @JsonProperty("name") String name,
    @JsonProperty("image_size") int imageSize,
    @JsonProperty("patch_size") int patchSize,
    @JsonProperty("vision_dim") int visionDim,
    @JsonProperty("vision_layers") int visionLayers,
    @JsonProperty("vision_heads") int visionHeads,
    @JsonProperty("vision_mlp_dim") int visionMlpDim,
    @JsonProperty("dim") int dim,
    @JsonProperty("layers") int layers,
    @JsonProperty("heads") int heads,
    @JsonProperty("mlp_dim") int mlpDim,
    @JsonProperty("max_text_tokens") int maxTextTokens,
    @JsonProperty("layer_norm_eps") float layerNormEps,
    @JsonProperty("init_std") float initStd) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public ModelConfig {
    require(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
        "image_size must be a positive multiple of patch_size");
    require(visionDim > 0 && visionHeads > 0 && visionDim % visionHeads == 0,
        "vision_dim must be a positive multiple of vision_heads");
    require(dim > 0 && heads > 0 && dim % heads == 0, "dim must be a positive multiple of heads");
    require(visionLayers >= 0 && layers > 0, "layers must be positive");
    require(visionMlpDim > 0 && mlpDim > 0, "mlp dims must be positive");
    require(maxTextTokens >= 8, "max_text_tokens must be at least 8");
    require(layerNormEps > 0, "layer_norm_eps must be positive");
    require(initStd > 0, "init_std must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("model config: " + message);
    }
  }

  /** Number of image tokens the vision encoder produces (one per patch). */
  public int imageTokens() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** Length of the decoder sequence: image slots followed by text tokens. */
  public int sequenceLength() {
    return imageTokens() + maxTextTokens;
  }

  public static ModelConfig preset(String name) {
    String resource = "presets/" + name + ".json";
    try (InputStream in = ModelConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "unknown model preset '" + name + "' (known: tiny, small)");
      }
      return JSON.readValue(in, ModelConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model preset " + name, e);
    }
  }

  public static ModelConfig read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return JSON.readValue(in, ModelConfig.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + ": " + e.getOriginalMessage(), e);
    }
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
