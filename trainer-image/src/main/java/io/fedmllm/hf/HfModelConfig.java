package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A multimodal checkpoint's config.json, in the hub spelling (top-level {@code rope_theta}, {@code torch_dtype},
 * {@code image_token_index}) and in transformers 5's ({@code rope_parameters}, {@code dtype}, {@code image_token_id}).
 *
 * @param dtype the storage type the config declares: float32, float16 or bfloat16
 */
public record HfModelConfig(ModelFamily family, List<String> architectures, String dtype, TextConfig text,
    VisionConfig vision, int imageTokenId, ConnectorConfig connector) {

  public static final String FILE = "config.json";
  static final List<String> DTYPES = List.of("float32", "float16", "bfloat16");
  static final List<String> SELECT_STRATEGIES = List.of("default", "full");
  private static final ObjectMapper JSON = new ObjectMapper();

  public HfModelConfig {
    architectures = List.copyOf(architectures);
  }

  /** Reads {@code dir/config.json}. */
  public static HfModelConfig read(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": missing (a checkpoint directory needs " + FILE + ")");
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + ": not a JSON object");
    }
    return parse(new ConfigFields(root, file.toString(), ""));
  }

  static HfModelConfig parse(ConfigFields top) throws CheckpointException {
    String modelType = top.string("model_type");
    List<String> architectures = top.strings("architectures");
    ModelFamily family = ModelFamily.of(modelType, architectures, top.file());
    ConfigFields textFields = top.object("text_config");
    TextConfig text = TextConfig.read(top, textFields);
    VisionConfig vision = VisionConfig.read(top.object("vision_config"), family);
    String dtype = dtype(top, textFields);
    int imageToken;
    ConnectorConfig connector;
    if (family == ModelFamily.SMOLVLM) {
      imageToken = top.integer("image_token_id", 128257);
      int scale = top.positiveInt("scale_factor", 2);
      if (vision.patchesPerSide() % scale != 0) {
        throw top.error("scale_factor", "is " + scale + ", which does not divide the " + vision.patchesPerSide()
            + " patches per side");
      }
      connector = new ConnectorConfig.PixelShuffle(scale);
    } else {
      imageToken = top.integer("image_token_id", top.integer("image_token_index", 32000));
      List<Integer> layers = top.integers("vision_feature_layer", -2);
      for (int layer : layers) {
        if (layer < -vision.layers() - 1 || layer > vision.layers()) {
          throw top.error("vision_feature_layer", "names hidden state " + layer + ", the tower has "
              + vision.layers() + " layers (hidden states 0.." + vision.layers() + ")");
        }
      }
      String strategy = top.string("vision_feature_select_strategy", "default");
      if (!SELECT_STRATEGIES.contains(strategy)) {
        throw top.error("vision_feature_select_strategy", "is '" + strategy + "' (supported: "
            + String.join(", ", SELECT_STRATEGIES) + ")");
      }
      connector = new ConnectorConfig.LlavaProjector(layers, strategy, top.string("projector_hidden_act", "gelu"),
          top.bool("multimodal_projector_bias", true));
    }
    if (imageToken < 0 || imageToken >= text.vocabSize()) {
      throw top.error(family == ModelFamily.SMOLVLM || top.has("image_token_id") ? "image_token_id"
          : "image_token_index", "is " + imageToken + ", outside the vocabulary of " + text.vocabSize());
    }
    return new HfModelConfig(family, architectures, dtype, text, vision, imageToken, connector);
  }

  private static String dtype(ConfigFields top, ConfigFields text) throws CheckpointException {
    for (ConfigFields fields : List.of(top, text)) {
      for (String key : new String[] {"dtype", "torch_dtype"}) {
        if (fields.has(key)) {
          String value = fields.string(key);
          if (!DTYPES.contains(value)) {
            throw fields.error(key, "is '" + value + "' (supported: " + String.join(", ", DTYPES) + ")");
          }
          return value;
        }
      }
    }
    return "float32";
  }
}
