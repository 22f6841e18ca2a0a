package io.fedmllm.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.fedmllm.data.Sample;
import io.fedmllm.hf.image.ProcessedImage;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.hf.nn.LoraPair;
import io.fedmllm.hf.nn.MultimodalModel;
import io.fedmllm.model.ForwardContext;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelInputs;
import io.fedmllm.model.PromptEncoder;
import io.fedmllm.model.SampleImages;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.LoraNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Hugging Face SmolVLM / LLaVA checkpoint as the base a federation fine-tunes: every sample becomes one user turn of
 * the checkpoint's own chat template (the image, then the sample's text and instruction), the processor's image
 * tokens and pixel values, and the completion the template puts after the generation prompt for the answer. LoRA
 * adapters sit on decoder projections only and carry PEFT's names for the family ({@link PeftLayout}), so an adapter
 * written by a federation loads into {@code PeftModel.from_pretrained} on the same checkpoint.
 */
public final class HfFoundation implements FoundationModel {

  private static final List<String> ATTENTION = List.of("q_proj", "k_proj", "v_proj", "o_proj");
  private static final List<String> MLP = List.of("gate_proj", "up_proj", "down_proj");

  private final Path dir;
  private final NDManager manager;
  private final HfModelConfig config;
  private final HfProcessor processor;
  private final MultimodalModel model;
  private final PeftLayout layout;
  private final String name;
  private final long parameters;
  private final long padId;

  private HfFoundation(Path dir, NDManager manager, HfModelConfig config, HfProcessor processor,
      MultimodalModel model, String name, long parameters) {
    this.dir = dir;
    this.manager = manager;
    this.config = config;
    this.processor = processor;
    this.model = model;
    this.layout = PeftLayout.of(config.family());
    this.name = name;
    this.parameters = parameters;
    this.padId = config.imageTokenId() == 0 ? 1 : 0;
  }

  /**
   * Verifies and loads the checkpoint in {@code dir} (weights copied into float32 arrays, files closed again).
   *
   * @param name the checkpoint's name for {@code base_model_name_or_path}, e.g. {@code HuggingFaceTB/SmolVLM-256M}
   * @param report receives one line about stored tensors the model does not use
   */
  public static HfFoundation load(Path dir, String name, Consumer<String> report) throws IOException {
    return load(dir, name, report, NDManager::newBaseManager);
  }

  /** {@link #load(Path, String, Consumer)} with the frozen weights in {@code weights} (float32 or float16). */
  public static HfFoundation load(Path dir, String name, Consumer<String> report, DataType weights)
      throws IOException {
    return load(dir, name, report, NDManager::newBaseManager, weights);
  }

  /** {@link #load(Path, String, Consumer)} with the weights on {@code device} (the base manager's device). */
  public static HfFoundation load(Path dir, String name, Consumer<String> report, Device device)
      throws IOException {
    return load(dir, name, report, device, DataType.FLOAT32);
  }

  /**
   * {@link #load(Path, String, Consumer, Device)} with the frozen weights in {@code weights}: float32, or float16
   * (half the memory; LoRA factors, norms' arithmetic, softmax and the loss stay float32).
   */
  public static HfFoundation load(Path dir, String name, Consumer<String> report, Device device, DataType weights)
      throws IOException {
    return load(dir, name, report, () -> NDManager.newBaseManager(device), weights);
  }

  private static HfFoundation load(Path dir, String name, Consumer<String> report, Supplier<NDManager> managers)
      throws IOException {
    return load(dir, name, report, managers, DataType.FLOAT32);
  }

  private static HfFoundation load(Path dir, String name, Consumer<String> report, Supplier<NDManager> managers,
      DataType weights) throws IOException {
    HfProcessor processor = HfProcessor.read(dir);
    try {
      checkTemplateRenders(processor);
    } catch (CheckpointException | RuntimeException e) {
      processor.close();
      throw e;
    }
    NDManager manager = managers.get();
    try (HfCheckpoint checkpoint = HfCheckpoint.open(dir, report)) {
      MultimodalModel model = MultimodalModel.load(checkpoint, manager, weights);
      long parameters = 0;
      for (long[] shape : ExpectedTensors.of(checkpoint.config()).values()) {
        parameters += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      }
      return new HfFoundation(dir, manager, checkpoint.config(), processor, model, name, parameters);
    } catch (IOException | RuntimeException e) {
      manager.close();
      processor.close();
      throw e;
    }
  }

  /** The checkpoint directory the weights were read from. */
  public Path dir() {
    return dir;
  }

  /**
   * Renders the turns training will render (with and without an image, then an answer), so a template that does not
   * render fails when the checkpoint is loaded, before anything is published, not in the first round.
   */
  private static void checkTemplateRenders(HfProcessor processor) throws CheckpointException {
    for (boolean withImage : new boolean[] {true, false}) {
      processor.template().renderAnswer(withImage, "Is this meme hateful?", "(A) not hateful");
    }
  }

  public HfModelConfig config() {
    return config;
  }

  public MultimodalModel model() {
    return model;
  }

  public long parameters() {
    return parameters;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s checkpoint %s (%,d parameters)", config.family().name().toLowerCase(
        Locale.ROOT), name, parameters);
  }

  @Override
  public int decoderLayers() {
    return config.text().layers();
  }

  @Override
  public TensorMap initialAdapter(LoraConfig lora, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TensorMap.Builder out = TensorMap.builder();
    for (int layer = 0; layer < config.text().layers(); layer++) {
      for (String projection : lora.targetModules()) {
        String module = module(layer, projection);
        long[] weight = model.decoder().weightShape(module);
        int in = Math.toIntExact(weight[1]);
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] a = new float[lora.r() * in];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        out.put(layout.tensorName(module, LoraNames.Factor.A), new Tensor(new long[] {lora.r(), in}, a));
        out.put(layout.tensorName(module, LoraNames.Factor.B), Tensor.zeros(weight[0], lora.r()));
      }
    }
    return out.build();
  }

  private static String module(int layer, String projection) {
    if (ATTENTION.contains(projection)) {
      return "text.layers." + layer + ".self_attn." + projection;
    }
    if (MLP.contains(projection)) {
      return "text.layers." + layer + ".mlp." + projection;
    }
    throw new IllegalArgumentException("adapter.targetModules: '" + projection + "' is not a decoder projection ("
        + ATTENTION + " or " + MLP + ")");
  }

  @Override
  public AdapterConfig adapterConfig(LoraConfig lora, boolean inferenceMode) {
    return lora.adapterConfig(name, inferenceMode, layout.targetModules(lora.targetModules()));
  }

  @Override
  public SampleImages newImageCache() {
    return new HfImages(processor.images());
  }

  /** The user turn's text: the sample's own text (caption, tweet) when it has one, then the instruction. */
  static String userText(Sample sample) {
    return sample.hasText() ? sample.text().orElseThrow() + "\n" + sample.instruction() : sample.instruction();
  }

  @Override
  public ModelInputs encode(List<Sample> samples, List<String> completions, SampleImages images) {
    if (completions.size() != samples.size() || samples.isEmpty()) {
      throw new IllegalArgumentException(samples.size() + " samples but " + completions.size() + " completions");
    }
    HfImages pixels = (HfImages) images;
    int n = samples.size();
    long[][] prompts = new long[n][];
    long[][] answers = new long[n][];
    ProcessedImage[] processed = new ProcessedImage[n];
    int length = 1;
    int window = 1;
    long imageRows = 0;
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      String text = userText(s);
      try {
        HfProcessor.Inputs turn;
        if (s.hasImage()) {
          processed[i] = pixels.pixels(s);
          turn = processor.userTurn(processed[i], text);
          imageRows += processed[i].tiles();
        } else {
          turn = processor.textTurn(text);
        }
        prompts[i] = turn.inputIds();
        answers[i] = processor.answer(s.hasImage(), text, PromptEncoder.completion(s, completions.get(i)));
      } catch (CheckpointException e) {
        throw new IllegalArgumentException("sample " + s.id() + ": " + e.getMessage(), e);
      }
      if (answers[i].length == 0) {
        throw new IllegalArgumentException("sample " + s.id() + ": the answer '" + completions.get(i)
            + "' renders to no tokens");
      }
      length = Math.max(length, prompts[i].length + answers[i].length);
      window = Math.max(window, answers[i].length);
    }
    long[] ids = new long[n * length];
    Arrays.fill(ids, padId);
    long[] targets = new long[n * window];
    Arrays.fill(targets, padId);
    float[] lossMask = new float[n * window];
    int[] firstScored = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(prompts[i], 0, ids, i * length, prompts[i].length);
      System.arraycopy(answers[i], 0, ids, i * length + prompts[i].length, answers[i].length);
      firstScored[i] = prompts[i].length - 1;
      System.arraycopy(answers[i], 0, targets, i * window, answers[i].length);
      Arrays.fill(lossMask, i * window, i * window + answers[i].length, 1f);
    }
    float[] pixelValues = null;
    long[] pixelShape = null;
    if (imageRows > 0) {
      ProcessedImage first = Arrays.stream(processed).filter(p -> p != null).findFirst().orElseThrow();
      long[] tile = first.shape();
      pixelShape = new long[] {imageRows, tile[1], tile[2], tile[3]};
      int tileFloats = Math.toIntExact(tile[1] * tile[2] * tile[3]);
      pixelValues = new float[Math.toIntExact(imageRows * tileFloats)];
      int offset = 0;
      for (ProcessedImage p : processed) {
        if (p != null) {
          System.arraycopy(p.pixelValues(), 0, pixelValues, offset, p.pixelValues().length);
          offset += p.pixelValues().length;
        }
      }
    }
    return new HfBatch(n, length, ids, pixelValues, pixelShape, window, firstScored, targets, lossMask);
  }

  @Override
  public NDArray logits(ForwardContext ctx, ModelInputs inputs) {
    HfBatch batch = (HfBatch) inputs;
    NDManager m = ctx.manager();
    NDArray hidden = model.withAdapters(adapters(ctx)).batchHiddenStates(batch.ids(m), batch.ids(), batch.pixels(m));
    long width = hidden.getShape().get(2);
    NDArray flat = hidden.reshape((long) batch.size() * batch.length(), width);
    NDArray scored = Embedding.embedding(batch.scoredRows(m), flat, SparseFormat.DENSE).head();
    return model.decoder().head(scored.reshape(batch.size(), batch.window(), width));
  }

  /** The client's adapter arrays as the decoder's LoRA pairs, with adapter dropout when the pass trains. */
  private LoraAdapters adapters(ForwardContext ctx) {
    LoraWeights weights = ctx.lora();
    if (weights == null) {
      return LoraAdapters.NONE;
    }
    float scale = weights.config().scale();
    float dropout = weights.config().dropout();
    Map<String, LoraPair> pairs = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
      LoraNames.LoraTensorName parsed = LoraNames.parse(e.getKey()).orElseThrow(
          () -> new IllegalArgumentException("adapter tensor '" + e.getKey() + "' is not a LoRA factor"));
      if (parsed.factor() != LoraNames.Factor.A) {
        continue;
      }
      NDArray b = weights.arrays().get(parsed.partner());
      pairs.put(layout.canonicalModule(e.getKey()),
          new LoraPair(e.getValue(), b, scale, x -> ctx.dropout(x, dropout)));
    }
    return new LoraAdapters(pairs);
  }

  @Override
  public void close() {
    processor.close();
    manager.close();
  }
}
