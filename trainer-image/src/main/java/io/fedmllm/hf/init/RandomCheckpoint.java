package io.fedmllm.hf.init;

import io.fedmllm.hf.ExpectedTensors;
import io.fedmllm.hf.HfModelConfig;
import io.fedmllm.hf.ModelFamily;
import io.fedmllm.tensor.AtomicFiles;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a random-weight checkpoint directory in transformers 5.24's {@code save_pretrained} layout, with the files
 * and keys its {@code save_pretrained} writes for SmolVLM and LLaVA: {@code config.json}, {@code model.safetensors}
 * (F32), {@code generation_config.json}, {@code tokenizer.json} ({@link FamilyTokenizer}),
 * {@code tokenizer_config.json}, {@code chat_template.jinja} (SmolVLM-Instruct's, llava-1.5's structure) and
 * {@code processor_config.json} (nested {@code image_processor}).
 *
 * <p>Weights: linear, embedding and convolution weights N(0, 0.02) (transformers' {@code initializer_range}), norm
 * weights 1, biases 0, each tensor from its own {@link Random} seeded by the seed and its name, so equal seeds give
 * equal bytes. The directory appears complete or not at all: it is written under a temporary name next to
 * {@code out} and renamed.
 */
public final class RandomCheckpoint {

  static final String TRANSFORMERS_VERSION = "5.24.0";
  private static final double INIT_STD = 0.02;
  private static final List<Double> HALF = List.of(0.5, 0.5, 0.5);
  private static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
  private static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
  private static final double RESCALE = 1 / 255.0;

  private RandomCheckpoint() {}

  /** Writes the checkpoint of {@code preset} drawn from {@code seed} to the new directory {@code out}. */
  public static void write(Path out, CheckpointPreset preset, long seed) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "already exists; a checkpoint is written to a "
          + "new directory");
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
    if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      // readable by others like any new directory, not the owner-only mode of a temporary one
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try {
      writeFiles(tmp, preset, seed);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } finally {
      deleteTree(tmp);
    }
  }

  private static void writeFiles(Path dir, CheckpointPreset preset, long seed) throws IOException {
    FamilyTokenizer tokenizer = FamilyTokenizer.of(preset.family());
    AtomicFiles.write(dir.resolve("tokenizer.json"), tokenizer.bytes());
    AtomicFiles.write(dir.resolve("tokenizer_config.json"), JsonFiles.bytes(tokenizerConfig(preset)));
    AtomicFiles.write(dir.resolve("chat_template.jinja"), chatTemplate(preset.family()));
    AtomicFiles.write(dir.resolve("processor_config.json"), JsonFiles.bytes(processorConfig(preset)));
    AtomicFiles.write(dir.resolve("generation_config.json"), JsonFiles.bytes(generationConfig()));
    AtomicFiles.write(dir.resolve(HfModelConfig.FILE), JsonFiles.bytes(config(preset, tokenizer)));
    // the weights follow from the config as our reader parses it, so the two cannot disagree
    HfModelConfig config = HfModelConfig.read(dir);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ExpectedTensors.of(config).entrySet()) {
      weights.put(StoredNames.stored(preset.family(), e.getKey()), initial(e.getKey(), e.getValue(), seed));
    }
    Safetensors.write(dir.resolve("model.safetensors"), TensorMap.of(weights), Map.of("format", "pt"));
  }

  /** Norm weights 1, biases 0, everything else N(0, 0.02) from a generator of its own. */
  static Tensor initial(String canonical, long[] shape, long seed) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] values = new float[Math.toIntExact(n)];
    String leaf = canonical.substring(canonical.lastIndexOf('.') + 1);
    boolean norm = canonical.substring(0, canonical.length() - leaf.length()).contains("norm");
    if (norm && leaf.equals("weight")) {
      Arrays.fill(values, 1f);
    } else if (!leaf.equals("bias")) {
      Random random = new Random(seed * 0x9E3779B97F4A7C15L + canonical.hashCode());
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (INIT_STD * random.nextGaussian());
      }
    }
    return new Tensor(shape, values);
  }

  static Map<String, Object> config(CheckpointPreset p, FamilyTokenizer tokenizer) {
    Map<String, Object> c = new TreeMap<>();
    boolean smolvlm = p.family() == ModelFamily.SMOLVLM;
    c.put("architectures", List.of(!smolvlm ? "LlavaForConditionalGeneration"
        : p.idefics3() ? "Idefics3ForConditionalGeneration" : "SmolVLMForConditionalGeneration"));
    c.put("dtype", "float32");
    c.put("model_type", !smolvlm ? "llava" : p.idefics3() ? "idefics3" : "smolvlm");
    if (p.vocabSize() != 0 && p.vocabSize() < tokenizer.vocabSize()) {
      throw new IllegalArgumentException("preset " + p.name() + ": vocabulary " + p.vocabSize() + " is smaller than "
          + "the tokenizer's " + tokenizer.vocabSize());
    }
    c.put("text_config", textConfig(p, Math.max(p.vocabSize(), tokenizer.vocabSize())));
    c.put("tie_word_embeddings", p.tiedEmbeddings());
    c.put("transformers_version", TRANSFORMERS_VERSION);
    c.put("vision_config", visionConfig(p));
    int image = tokenizer.id(FamilyTokenizer.IMAGE);
    if (smolvlm) {
      c.put("_pad_token_id", 0);
      c.put("image_token_id", image);
      c.put("scale_factor", p.scaleFactor());
      c.put("use_cache", true);
    } else {
      c.put("image_seq_length", p.imageTokensPerTile());
      c.put("image_token_index", image);
      c.put("multimodal_projector_bias", true);
      c.put("projector_hidden_act", "gelu");
      c.put("vision_feature_layer", -2);
      c.put("vision_feature_select_strategy", "default");
    }
    return c;
  }

  private static Map<String, Object> textConfig(CheckpointPreset p, int vocab) {
    Map<String, Object> t = new TreeMap<>();
    t.put("attention_bias", false);
    t.put("attention_dropout", 0.0);
    t.put("bos_token_id", 1);
    t.put("eos_token_id", 2);
    t.put("head_dim", p.textHidden() / p.heads());
    t.put("hidden_act", "silu");
    t.put("hidden_size", p.textHidden());
    t.put("initializer_range", INIT_STD);
    t.put("intermediate_size", p.textIntermediate());
    t.put("max_position_embeddings", p.maxPositions());
    t.put("mlp_bias", false);
    t.put("model_type", "llama");
    t.put("num_attention_heads", p.heads());
    t.put("num_hidden_layers", p.textLayers());
    t.put("num_key_value_heads", p.keyValueHeads());
    t.put("pad_token_id", 0);
    t.put("pretraining_tp", 1);
    t.put("rms_norm_eps", 1e-5);
    t.put("rope_parameters", Map.of("rope_theta", p.ropeTheta(), "rope_type", "default"));
    t.put("tie_word_embeddings", p.tiedEmbeddings());
    t.put("use_cache", true);
    t.put("vocab_size", vocab);
    return t;
  }

  private static Map<String, Object> visionConfig(CheckpointPreset p) {
    Map<String, Object> v = new TreeMap<>();
    boolean smolvlm = p.family() == ModelFamily.SMOLVLM;
    v.put("attention_dropout", 0.0);
    v.put("hidden_act", smolvlm ? "gelu_pytorch_tanh" : "quick_gelu");
    v.put("hidden_size", p.visionHidden());
    v.put("image_size", p.imageSize());
    v.put("initializer_range", INIT_STD);
    v.put("intermediate_size", p.visionIntermediate());
    v.put("layer_norm_eps", smolvlm ? 1e-6 : 1e-5);
    v.put("model_type", !smolvlm ? "clip_vision_model" : p.idefics3() ? "idefics3_vision" : "smolvlm_vision");
    v.put("num_attention_heads", p.visionHeads());
    v.put("num_channels", 3);
    v.put("num_hidden_layers", p.visionLayers());
    v.put("patch_size", p.patchSize());
    if (!smolvlm) {
      v.put("initializer_factor", 1.0);
      v.put("projection_dim", p.visionHidden());
    }
    return v;
  }

  static Map<String, Object> processorConfig(CheckpointPreset p) {
    Map<String, Object> c = new TreeMap<>();
    Map<String, Object> images = new TreeMap<>();
    images.put("do_convert_rgb", true);
    images.put("do_normalize", true);
    images.put("do_rescale", true);
    images.put("do_resize", true);
    images.put("rescale_factor", RESCALE);
    if (p.family() == ModelFamily.SMOLVLM) {
      images.put("do_image_splitting", p.imageSplitting());
      images.put("do_pad", true);
      images.put("image_mean", HALF);
      images.put("image_std", HALF);
      images.put("image_processor_type", p.idefics3() ? "Idefics3ImageProcessor" : "SmolVLMImageProcessor");
      images.put("max_image_size", Map.of("longest_edge", p.imageSize()));
      images.put("resample", 1);
      images.put("size", Map.of("longest_edge", p.longestEdge()));
      c.put("image_seq_len", p.imageTokensPerTile());
      if (p.idefics3()) {
        c.put("processor_class", "Idefics3Processor");
      } else {
        c.put("processor_class", "SmolVLMProcessor");
        c.put("video_processor", smolvlmVideoProcessor());
      }
    } else {
      images.put("crop_size", Map.of("height", p.imageSize(), "width", p.imageSize()));
      images.put("do_center_crop", true);
      images.put("image_mean", CLIP_MEAN);
      images.put("image_std", CLIP_STD);
      images.put("image_processor_type", "CLIPImageProcessor");
      images.put("resample", 3);
      images.put("size", Map.of("shortest_edge", p.imageSize()));
      c.put("image_token", FamilyTokenizer.IMAGE);
      c.put("num_additional_image_tokens", 1);
      c.put("patch_size", p.patchSize());
      c.put("processor_class", "LlavaProcessor");
      c.put("vision_feature_select_strategy", "default");
    }
    c.put("image_processor", images);
    return c;
  }

  /** transformers' SmolVLMVideoProcessor defaults, which its processor saves alongside (videos are not used here). */
  private static Map<String, Object> smolvlmVideoProcessor() {
    Map<String, Object> v = new TreeMap<>();
    v.put("do_convert_rgb", true);
    v.put("do_normalize", true);
    v.put("do_pad", true);
    v.put("do_rescale", true);
    v.put("do_resize", true);
    v.put("do_sample_frames", false);
    v.put("image_mean", HALF);
    v.put("image_std", HALF);
    v.put("max_image_size", Map.of("longest_edge", 364));
    v.put("resample", 1);
    v.put("rescale_factor", RESCALE);
    v.put("return_metadata", false);
    v.put("size", Map.of("longest_edge", 1456));
    v.put("video_processor_type", "SmolVLMVideoProcessor");
    return v;
  }

  private static Map<String, Object> tokenizerConfig(CheckpointPreset p) {
    Map<String, Object> c = new TreeMap<>();
    c.put("backend", "tokenizers");
    c.put("bos_token", "<s>");
    c.put("eos_token", "</s>");
    c.put("model_max_length", new BigInteger("1000000000000000019884624838656"));
    c.put("pad_token", "<pad>");
    c.put("processor_class", p.family() == ModelFamily.LLAVA ? "LlavaProcessor"
        : p.idefics3() ? "Idefics3Processor" : "SmolVLMProcessor");
    c.put("tokenizer_class", "TokenizersBackend");
    c.put("unk_token", "<unk>");
    return c;
  }

  private static Map<String, Object> generationConfig() {
    Map<String, Object> c = new TreeMap<>();
    c.put("_from_model_config", true);
    c.put("bos_token_id", 1);
    c.put("eos_token_id", 2);
    c.put("output_attentions", false);
    c.put("output_hidden_states", false);
    c.put("pad_token_id", 0);
    c.put("transformers_version", TRANSFORMERS_VERSION);
    c.put("use_cache", true);
    return c;
  }

  private static byte[] chatTemplate(ModelFamily family) {
    String name = (family == ModelFamily.SMOLVLM ? "smolvlm" : "llava") + ".chat_template.jinja";
    try (InputStream in = RandomCheckpoint.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
