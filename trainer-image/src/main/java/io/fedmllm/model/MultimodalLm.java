package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LLaVA-style multimodal language model: vision encoder, projector into the token embedding space and a causal
 * decoder over [image tokens | text tokens] with a head tied to the token embedding.
 *
 * <p>Every sequence has {@link ModelConfig#imageTokens()} image slots followed by {@link ModelConfig#maxTextTokens()}
 * text positions. A sample without an image has its image slots masked out as attention keys, so no text token sees
 * them: the model behaves as a text-only LM. A sample without text simply has a shorter prompt.
 *
 * <p>Forward input ({@link NDList}): images [B,3,H,W] float, imagePresent [B] float 0/1, tokens [B,T] int64,
 * textMask [B,T] float 0/1. Output: next-token logits over the text positions [B,T,V].
 */
public final class MultimodalLm extends ModelBlock {
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final int vocabSize;
  private final VisionEncoder vision;
  private final Projector projector;
  private final Parameter tokenEmbedding;
  private final Parameter positions;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final LayerNormBlock norm;
  /** The causal part of the attention bias, [1,1,P,P] 0/1, per length bucket P (sliced to each step's length). */
  private volatile ShapeArrays<Integer> causalMasks;

  public MultimodalLm(ModelConfig config, int vocabSize) {
    this.config = config;
    this.vocabSize = vocabSize;
    vision = addChildBlock("vision_tower", new VisionEncoder(config));
    projector = addChildBlock("multi_modal_projector", new Projector(config.visionDim(), config.dim(), config.initStd()));
    tokenEmbedding =
        parameter(
            "embed_tokens",
            Parameter.Type.WEIGHT,
            new Shape(vocabSize, config.dim()),
            new NormalInitializer(config.initStd()));
    positions =
        parameter(
            "embed_positions",
            Parameter.Type.WEIGHT,
            new Shape(config.sequenceLength(), config.dim()),
            new NormalInitializer(config.initStd()));
    for (int i = 0; i < config.layers(); i++) {
      layers.add(
          addChildBlock(
              "layer" + i,
              new TransformerLayer(
                  config.dim(), config.heads(), config.mlpDim(), config.layerNormEps(), config.initStd(), i)));
    }
    norm = addChildBlock("norm", new LayerNormBlock(config.dim(), config.layerNormEps()));
  }

  /** A model with freshly initialised (seeded) weights, frozen. */
  public static MultimodalLm initialise(ModelConfig config, int vocabSize, NDManager manager, long seed) {
    MultimodalLm model = new MultimodalLm(config, vocabSize);
    EngineRandom.seeded((int) seed, () -> {
      model.initialize(manager, DataType.FLOAT32);
      return model;
    });
    model.freezeParameters(true);
    return model;
  }

  public ModelConfig config() {
    return config;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** Every base parameter under its checkpoint name, in a stable order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collectParameters("", out);
    return out;
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    vision.collectParameters("vision_tower", out);
    projector.collectParameters("multi_modal_projector", out);
    out.put("model.embed_tokens.weight", tokenEmbedding);
    out.put("model.embed_positions.weight", positions);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).collectParameters("model.layers." + i, out);
    }
    norm.collectParameters("model.norm", out);
  }

  public long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }

  /** Copies the base weights to the heap, e.g. to save them as safetensors. */
  public TensorMap baseTensors() {
    TensorMap.Builder out = TensorMap.builder();
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out.build();
  }

  /** Overwrites the base weights in place; the tensors must match the architecture exactly. */
  public void loadBaseTensors(TensorMap tensors) {
    Map<String, Parameter> params = namedParameters();
    for (String name : params.keySet()) {
      if (!tensors.contains(name)) {
        throw new IllegalArgumentException("base weights lack tensor " + name);
      }
    }
    for (String name : tensors.names()) {
      Parameter p = params.get(name);
      if (p == null) {
        throw new IllegalArgumentException(
            "base weights have tensor " + name + " that this architecture does not use");
      }
      Tensor t = tensors.get(name);
      if (!p.getArray().getShape().equals(new Shape(t.shape()))) {
        throw new IllegalArgumentException(
            "base tensor " + name + " has shape " + new Shape(t.shape())
                + ", the model config needs " + p.getArray().getShape());
      }
      p.getArray().set(t.data());
    }
  }

  /** Next-token logits for the text positions, [B, T, V]. */
  public NDArray logits(ForwardContext ctx, NDArray images, NDArray imagePresent, NDArray tokens, NDArray textMask) {
    long batch = tokens.getShape().get(0);
    int imageTokens = config.imageTokens();
    int seq = imageTokens + Math.toIntExact(tokens.getShape().get(1));
    if (seq > config.sequenceLength()) {
      throw new IllegalArgumentException(
          "text of " + tokens.getShape().get(1) + " tokens exceeds max_text_tokens " + config.maxTextTokens());
    }
    NDArray imageEmbeddings = projector.forward(ctx, vision.forward(ctx, images));
    NDArray textEmbeddings =
        Embedding.embedding(tokens, tokenEmbedding.getArray(), SparseFormat.DENSE).head();
    NDArray h =
        imageEmbeddings.concat(textEmbeddings, 1).add(positions.getArray().get("0:" + seq + ", :"));
    NDArray bias = attentionBias(ctx, imagePresent, textMask, batch, imageTokens, seq);
    for (TransformerLayer layer : layers) {
      h = layer.forward(ctx, h, bias);
    }
    NDArray text = norm.forward(ctx, h).get(":, " + imageTokens + ":, :");
    return text.matMul(tokenEmbedding.getArray().transpose());
  }

  /**
   * Additive attention bias [B,1,S,S]: 0 where query i may attend key j (j <= i and key j is present), a large
   * negative number elsewhere. Absent image slots and padding are never attended.
   */
  private NDArray attentionBias(
      ForwardContext ctx, NDArray imagePresent, NDArray textMask, long batch, int imageTokens, int seq) {
    NDArray keyPresent =
        imagePresent.reshape(batch, 1).repeat(1, imageTokens).concat(textMask, 1).reshape(batch, 1, 1, seq);
    int bucket = ShapeArrays.lengthBucket(seq, config.sequenceLength());
    NDArray causal = causalMasks().get(bucket, ctx.manager()).head()
        .get(new NDIndex().addAllDim(2).addSliceDim(0, seq).addSliceDim(0, seq));
    NDArray allowed = keyPresent.mul(causal);
    return allowed.sub(ctx.scalar(1f)).mul(ctx.scalar(-MASKED));
  }

  private ShapeArrays<Integer> causalMasks() {
    ShapeArrays<Integer> masks = causalMasks;
    if (masks == null) {
      synchronized (this) {
        if (causalMasks == null) {
          causalMasks = new ShapeArrays<>(tokenEmbedding.getArray().getManager(), MultimodalLm::causalMask);
        }
        masks = causalMasks;
      }
    }
    return masks;
  }

  /** [1,1,S,S]: 1 where query i may see key j (j <= i), else 0. */
  private static NDList causalMask(NDManager manager, int seq) {
    float[] causal = new float[seq * seq];
    for (int i = 0; i < seq; i++) {
      for (int j = 0; j <= i; j++) {
        causal[i * seq + j] = 1f;
      }
    }
    return new NDList(manager.create(causal, new Shape(1, 1, seq, seq)));
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray input) {
    throw new UnsupportedOperationException("MultimodalLm takes four inputs: use logits(...)");
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() != 4) {
      throw new IllegalArgumentException(
          "MultimodalLm expects [images, imagePresent, tokens, textMask], got " + inputs.size() + " arrays");
    }
    ForwardContext ctx = context(params, inputs, training);
    return new NDList(logits(ctx, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape tokens = inputShapes[2];
    return new Shape[] {new Shape(tokens.get(0), tokens.get(1), vocabSize)};
  }
}
