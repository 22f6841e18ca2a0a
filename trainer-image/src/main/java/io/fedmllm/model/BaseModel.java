package io.fedmllm.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.data.Sample;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The frozen base every party starts from: architecture, weights, tokenizer and prompt layout, loaded once per
 * process and shared read-only by all clients trained in it. Base weights live in one safetensors file whose metadata
 * records the model config and the tokenizer's SHA-256, so a base is never paired with the wrong vocabulary.
 */
public final class BaseModel implements FoundationModel {
  public static final String WEIGHTS_FILE = "model.safetensors";

  private final NDManager manager;
  private final MultimodalLm lm;
  private final TextTokenizer tokenizer;
  private final PromptEncoder encoder;

  private BaseModel(NDManager manager, MultimodalLm lm, TextTokenizer tokenizer) {
    this.manager = manager;
    this.lm = lm;
    this.tokenizer = tokenizer;
    this.encoder = new PromptEncoder(tokenizer, lm.config().maxTextTokens());
  }

  /** A randomly initialised base (the starting point of {@code pretrain}). */
  public static BaseModel initialise(ModelConfig config, TextTokenizer tokenizer, long seed) {
    return initialise(config, tokenizer, seed, NDManager.newBaseManager());
  }

  /** A randomly initialised base whose arrays live on {@code device} (its manager's device). */
  public static BaseModel initialise(ModelConfig config, TextTokenizer tokenizer, long seed, Device device) {
    return initialise(config, tokenizer, seed, NDManager.newBaseManager(device));
  }

  private static BaseModel initialise(ModelConfig config, TextTokenizer tokenizer, long seed, NDManager manager) {
    return new BaseModel(
        manager, MultimodalLm.initialise(config, tokenizer.vocabSize(), manager, seed), tokenizer);
  }

  /** Loads base weights written by {@link #save}; config and tokenizer must be the ones recorded with them. */
  public static BaseModel load(Path weights, ModelConfig config, TextTokenizer tokenizer) throws IOException {
    return of(Safetensors.read(weights), weights.toString(), config, tokenizer, Optional.empty());
  }

  /**
   * A base from the bytes {@link #encode} produced (e.g. downloaded and verified); {@code source} names them in
   * errors. Config and tokenizer must be the ones recorded with them.
   */
  public static BaseModel decode(byte[] bytes, String source, ModelConfig config, TextTokenizer tokenizer)
      throws IOException {
    return of(Safetensors.decode(bytes, source), source, config, tokenizer, Optional.empty());
  }

  /** {@link #decode(byte[], String, ModelConfig, TextTokenizer)} onto {@code device} (its base manager's). */
  public static BaseModel decode(byte[] bytes, String source, ModelConfig config, TextTokenizer tokenizer,
      Device device) throws IOException {
    return of(Safetensors.decode(bytes, source), source, config, tokenizer, Optional.of(device));
  }

  private static BaseModel of(Safetensors.Content content, String source, ModelConfig config,
      TextTokenizer tokenizer, Optional<Device> device) throws IOException {
    String recordedTokenizer = content.metadata().get("tokenizer_sha256");
    if (recordedTokenizer != null && !recordedTokenizer.equals(tokenizer.sha256())) {
      throw new IOException(
          source + ": base was trained with tokenizer " + recordedTokenizer + ", not the configured one "
              + tokenizer.sha256());
    }
    BaseModel base = device.isPresent()
        ? initialise(config, tokenizer, 0, device.get())
        : initialise(config, tokenizer, 0);
    try {
      base.lm.loadBaseTensors(content.tensors());
    } catch (IllegalArgumentException e) {
      base.close();
      throw new IOException(source + ": " + e.getMessage(), e);
    }
    return base;
  }

  public void save(Path weights) throws IOException {
    Safetensors.write(weights, lm.baseTensors(), metadata());
  }

  /**
   * The base as the bytes of the safetensors file {@link #save} writes: deterministic (tensors in name order, sorted
   * metadata), so equal weights give equal bytes and SHA-256.
   */
  public byte[] encode() {
    return Safetensors.encode(lm.baseTensors(), metadata());
  }

  private Map<String, String> metadata() {
    return Map.of(
        "format", "pt",
        "model_config", lm.config().toJson(),
        "tokenizer_sha256", tokenizer.sha256());
  }

  public MultimodalLm lm() {
    return lm;
  }

  public ModelConfig config() {
    return lm.config();
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public PromptEncoder encoder() {
    return encoder;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "%s (%.2f M parameters)", config().name(),
        lm.parameterCount() / 1e6);
  }

  @Override
  public int decoderLayers() {
    return config().layers();
  }

  @Override
  public TensorMap initialAdapter(LoraConfig lora, long seed) {
    return LoraWeights.initialTensors(config(), lora, seed);
  }

  /** {@code base_model_name_or_path} is {@code fedmllm/<model name>}: the built-in base has no hub name. */
  @Override
  public AdapterConfig adapterConfig(LoraConfig lora, boolean inferenceMode) {
    return lora.adapterConfig("fedmllm/" + config().name(), inferenceMode);
  }

  @Override
  public SampleImages newImageCache() {
    return newImagePreprocessor();
  }

  @Override
  public ModelInputs encode(List<Sample> samples, List<String> completions, SampleImages images) {
    if (completions.size() != samples.size()) {
      throw new IllegalArgumentException(samples.size() + " samples but " + completions.size() + " completions");
    }
    ImagePreprocessor pixels = (ImagePreprocessor) images;
    List<EncodedSequence> sequences = new ArrayList<>(samples.size());
    List<byte[]> imageBytes = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      sequences.add(encoder.encode(samples.get(i), completions.get(i)));
      imageBytes.add(pixels.pixels(samples.get(i)));
    }
    return Batch.of(sequences, imageBytes, config().imageSize());
  }

  @Override
  public NDArray logits(ForwardContext ctx, ModelInputs inputs) {
    NDList in = ((Batch) inputs).inputs(ctx.manager());
    return lm.logits(ctx, in.get(0), in.get(1), in.get(2), in.get(3));
  }

  public TensorMap weights() {
    return lm.baseTensors();
  }

  /** Encodes samples (each with its own answer) into one batch. */
  public Batch batch(List<Sample> samples, ImagePreprocessor images) {
    List<EncodedSequence> sequences = new ArrayList<>(samples.size());
    List<byte[]> pixels = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      sequences.add(encoder.encode(s));
      pixels.add(images.pixels(s));
    }
    return Batch.of(sequences, pixels, config().imageSize());
  }

  public ImagePreprocessor newImagePreprocessor() {
    return new ImagePreprocessor(config().imageSize(), manager);
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
