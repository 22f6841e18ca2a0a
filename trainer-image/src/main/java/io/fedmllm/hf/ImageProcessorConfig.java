package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image processor and image-token settings of a checkpoint, from either layout: hub checkpoints keep the image
 * processor in {@code preprocessor_config.json} (and the processor's own keys, when present, in
 * {@code processor_config.json}); transformers 5 {@code save_pretrained} writes one {@code processor_config.json} whose
 * {@code image_processor} object holds them. Sizes are pixels; {@code 0} means the key is not set.
 *
 * @param source the file the image processor keys came from, for messages
 */
public record ImageProcessorConfig(String source, Kind kind, boolean doResize, int shortestEdge, int longestEdge,
    int height, int width, int resample, boolean doCenterCrop, int cropHeight, int cropWidth, boolean doRescale,
    double rescaleFactor, boolean doNormalize, List<Double> mean, List<Double> std, boolean doImageSplitting,
    int maxImageSize, ImageTokens tokens) {

  public static final String PREPROCESSOR_FILE = "preprocessor_config.json";
  public static final String PROCESSOR_FILE = "processor_config.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Image processor classes handled, by transformers' {@code image_processor_type} (without Pil/Fast suffix). */
  public enum Kind {
    CLIP("CLIPImageProcessor", 3),
    SIGLIP("SiglipImageProcessor", 3),
    SMOLVLM("SmolVLMImageProcessor", 1),
    IDEFICS3("Idefics3ImageProcessor", 1);

    private final String typeName;
    private final int defaultResample;

    Kind(String typeName, int defaultResample) {
      this.typeName = typeName;
      this.defaultResample = defaultResample;
    }

    public boolean splitsIntoTiles() {
      return this == SMOLVLM || this == IDEFICS3;
    }

    static Kind of(String type, ConfigFields fields) throws CheckpointException {
      String base = type.replaceFirst("(Pil|Fast)$", "");
      for (Kind k : values()) {
        if (k.typeName.equals(base)) {
          return k;
        }
      }
      throw fields.error("image_processor_type", "is \"" + type + "\"; supported: CLIPImageProcessor, "
          + "SiglipImageProcessor, SmolVLMImageProcessor, Idefics3ImageProcessor");
    }
  }

  /**
   * How the processor writes one image into the prompt. LLaVA: {@code image} repeated
   * {@code (h / patchSize) * (w / patchSize) + additional} times, one fewer for strategy {@code default}; SmolVLM:
   * {@code seqLen} image tokens per tile between {@code fakeAround} and the tile's {@code <row_R_col_C>} or the
   * {@code global} token.
   */
  public record ImageTokens(String image, int patchSize, int additional, boolean dropsClassToken, int seqLen,
      String fakeAround, String global) {}

  public static ImageProcessorConfig read(Path dir) throws CheckpointException {
    Path processorFile = dir.resolve(PROCESSOR_FILE);
    Path preprocessorFile = dir.resolve(PREPROCESSOR_FILE);
    JsonNode processor = Files.isRegularFile(processorFile) ? CheckpointJson.readObject(processorFile) : null;
    ConfigFields image;
    if (processor != null && processor.has("image_processor")) {
      image = new ConfigFields(processor, processorFile.toString(), "").object("image_processor");
    } else if (Files.isRegularFile(preprocessorFile)) {
      image = new ConfigFields(CheckpointJson.readObject(preprocessorFile), preprocessorFile.toString(), "");
    } else {
      throw new CheckpointException(dir + ": no image processor: neither " + PREPROCESSOR_FILE + " nor "
          + PROCESSOR_FILE + " with an image_processor object");
    }
    ConfigFields proc = processor != null
        ? new ConfigFields(processor, processorFile.toString(), "")
        : new ConfigFields(JSON.createObjectNode(), processorFile + " (absent)", "");
    return of(image, proc);
  }

  private static ImageProcessorConfig of(ConfigFields f, ConfigFields proc) throws CheckpointException {
    Kind kind = Kind.of(f.string("image_processor_type"), f);
    boolean doResize = f.bool("do_resize", true);
    int shortest = 0;
    int longest = 0;
    int height = 0;
    int width = 0;
    if (doResize) {
      ConfigFields size = f.object("size");
      shortest = size.integer("shortest_edge", 0);
      longest = size.integer("longest_edge", 0);
      height = size.integer("height", 0);
      width = size.integer("width", 0);
      boolean valid = switch (kind) {
        case CLIP -> shortest > 0 || (height > 0 && width > 0);
        case SIGLIP -> height > 0 && width > 0;
        case SMOLVLM, IDEFICS3 -> longest > 0;
      };
      if (!valid) {
        throw f.error("size", "has no size " + kind.typeName + " uses ("
            + (kind.splitsIntoTiles() ? "longest_edge" : kind == Kind.CLIP ? "shortest_edge or height+width"
            : "height+width") + ")");
      }
    }
    int resample = f.integer("resample", kind.defaultResample);
    boolean crop = kind == Kind.CLIP && f.bool("do_center_crop", true);
    int cropHeight = 0;
    int cropWidth = 0;
    if (crop) {
      ConfigFields c = f.object("crop_size");
      cropHeight = c.positiveInt("height", 0);
      cropWidth = c.positiveInt("width", 0);
    }
    boolean doRescale = f.bool("do_rescale", true);
    double rescale = f.positiveNumber("rescale_factor", 1.0 / 255);
    boolean doNormalize = f.bool("do_normalize", true);
    List<Double> mean = channels(f, "image_mean", doNormalize);
    List<Double> std = channels(f, "image_std", doNormalize);
    boolean split = kind.splitsIntoTiles() && f.bool("do_image_splitting", true);
    int maxImage = kind.splitsIntoTiles() ? f.object("max_image_size").positiveInt("longest_edge", 0) : 0;
    ImageTokens tokens;
    if (kind.splitsIntoTiles()) {
      tokens = new ImageTokens(proc.string("image_token", "<image>"), 0, 0, false,
          proc.positiveInt("image_seq_len", 169), "<fake_token_around_image>",
          "<global-img>");
    } else {
      if (!proc.has("patch_size")) {
        throw proc.error("patch_size", "missing (LLaVA's processor needs it to count the image tokens)");
      }
      tokens = new ImageTokens(proc.string("image_token", "<image>"), proc.positiveInt("patch_size", 1),
          proc.integer("num_additional_image_tokens", 0),
          proc.string("vision_feature_select_strategy", "default").equals("default"), 0, null, null);
    }
    return new ImageProcessorConfig(f.file(), kind, doResize, shortest, longest, height, width, resample, crop,
        cropHeight, cropWidth, doRescale, rescale, doNormalize, mean, std, split, maxImage, tokens);
  }

  private static List<Double> channels(ConfigFields f, String key, boolean required) throws CheckpointException {
    if (!required) {
      return List.of(0.0, 0.0, 0.0);
    }
    if (!f.has(key)) {
      throw f.error(key, "missing");
    }
    List<Double> v = f.numbers(key, List.of());
    if (v.size() == 1) {
      return List.of(v.get(0), v.get(0), v.get(0));
    }
    if (v.size() != 3) {
      throw f.error(key, "has " + v.size() + " values, expected 3 (R, G, B)");
    }
    return v;
  }
}
