package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.fedmllm.hf.TextConfig;
import io.fedmllm.model.ShapeArrays;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Llama-style decoder of a checkpoint (Llama, Mistral, Qwen2) with its output head: token embedding, pre-norm
 * layers of grouped-query attention and SwiGLU MLP with residuals, final RMSNorm, head tied to the embedding or a
 * separate {@code lm_head}. Weights are frozen float32 arrays; the forward pass is composed of DJL primitives.
 */
public final class LlamaDecoder {

  /** One pre-norm layer. */
  public record Layer(RmsNorm inputNorm, LlamaAttention attention, RmsNorm postAttentionNorm, SwiGluMlp mlp) {
    public NDArray apply(NDArray x, NDArray cos, NDArray sin, NDArray mask, LoraAdapters adapters) {
      NDArray h = x.add(attention.apply(inputNorm.apply(x), cos, sin, mask, adapters));
      return h.add(mlp.apply(postAttentionNorm.apply(h), adapters));
    }
  }

  private final TextConfig config;
  private final NDArray embedTokens;
  private final List<Layer> layers;
  private final RmsNorm norm;
  private final NDArray head;
  private final RotaryEmbedding rotary;
  /** Per length bucket P: cos and sin tables [P, headDim] and the additive causal mask [P, P]. */
  private final ShapeArrays<Integer> positional;

  private LlamaDecoder(TextConfig config, NDArray embedTokens, List<Layer> layers, RmsNorm norm, NDArray head) {
    this.config = config;
    this.embedTokens = embedTokens;
    this.layers = List.copyOf(layers);
    this.norm = norm;
    this.head = head;
    this.rotary = new RotaryEmbedding(config.headDim(), config.rope(), config.maxPositionEmbeddings());
    this.positional = new ShapeArrays<>(embedTokens.getManager(), (manager, seq) -> {
      NDArray[] tables = rotary.tables(manager, seq);
      // transformers casts the rotary tables to the activations' type; a float32 table would widen every q and k
      DataType activations = embedTokens.getDataType();
      return new NDList(
          Precision.as(tables[0], activations), Precision.as(tables[1], activations), causalMask(manager, seq));
    });
  }

  /** Loads the {@code text.*} tensors of a verified checkpoint. */
  public static LlamaDecoder load(CheckpointArrays arrays, TextConfig config) throws IOException {
    NDArray embed = arrays.load("text.embed_tokens.weight");
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      String p = "text.layers." + i;
      layers.add(new Layer(RmsNorm.load(arrays, p + ".input_layernorm", config.rmsNormEps()),
          LlamaAttention.load(arrays, p + ".self_attn", config),
          RmsNorm.load(arrays, p + ".post_attention_layernorm", config.rmsNormEps()),
          SwiGluMlp.load(arrays, p + ".mlp", config)));
    }
    RmsNorm norm = RmsNorm.load(arrays, "text.norm", config.rmsNormEps());
    NDArray head = config.tiedEmbeddings() ? embed : arrays.load("text.lm_head.weight");
    return new LlamaDecoder(config, embed, layers, norm, head);
  }

  public TextConfig config() {
    return config;
  }

  /** The element type of the frozen weights (float32 or float16). */
  public ai.djl.ndarray.types.DataType weightType() {
    return embedTokens.getDataType();
  }

  public int layerCount() {
    return layers.size();
  }

  /** Canonical names of every linear layer an adapter may target, in layer order. */
  public Set<String> adaptableModules() {
    Set<String> out = new LinkedHashSet<>();
    for (Layer layer : layers) {
      layer.attention().linears().forEach(l -> out.add(l.module()));
      layer.mlp().linears().forEach(l -> out.add(l.module()));
    }
    return out;
  }

  /** The output shape [out, in] of the linear layer {@code module}. */
  public long[] weightShape(String module) {
    for (Layer layer : layers) {
      for (Linear l : layer.attention().linears()) {
        if (l.module().equals(module)) {
          return l.weight().getShape().getShape();
        }
      }
      for (Linear l : layer.mlp().linears()) {
        if (l.module().equals(module)) {
          return l.weight().getShape().getShape();
        }
      }
    }
    throw new IllegalArgumentException("the decoder has no linear layer " + module);
  }

  /** Token embeddings [B, S, hidden] of ids [B, S] (int64). */
  public NDArray embed(NDArray ids) {
    return Embedding.embedding(ids, embedTokens, SparseFormat.DENSE).head();
  }

  /** Next-token logits [B, S, vocab] of input embeddings [B, S, hidden] (text, or text with image features). */
  public NDArray logits(NDArray embeddings) {
    return logits(embeddings, LoraAdapters.NONE);
  }

  /**
   * As {@link #logits(NDArray)} with LoRA adapters on the decoder's linear layers. Sequences of a batch are
   * right-padded: the causal mask keeps every real position from seeing the padding after it.
   */
  public NDArray logits(NDArray embeddings, LoraAdapters adapters) {
    return head(hiddenStates(embeddings, adapters));
  }

  /** The output head: logits [..., vocab] of final hidden states [..., hidden], float32 whatever the base's type. */
  public NDArray head(NDArray hidden) {
    return Precision.widen(Precision.as(hidden, head.getDataType()).matMul(head.transpose()));
  }

  /**
   * Final (normed) hidden states [B, S, hidden], before the head: callers that score a few positions take those
   * rows first and apply {@link #head} to them only, instead of materialising [B, S, vocab].
   */
  public NDArray hiddenStates(NDArray embeddings, LoraAdapters adapters) {
    adapters.requireModules(adaptableModules());
    int seq = Math.toIntExact(embeddings.getShape().get(1));
    NDList tables = positional.get(ShapeArrays.lengthBucket(seq, rotary.validPositions()), embeddings.getManager());
    // views of the first seq positions of tables built for the bucket's length
    NDArray cos = tables.get(0).get(new NDIndex().addSliceDim(0, seq));
    NDArray sin = tables.get(1).get(new NDIndex().addSliceDim(0, seq));
    NDArray mask = tables.get(2).get(new NDIndex().addSliceDim(0, seq).addSliceDim(0, seq));
    NDArray h = Precision.as(embeddings, embedTokens.getDataType());
    for (Layer layer : layers) {
      h = layer.apply(h, cos, sin, mask, adapters);
    }
    return norm.apply(h);
  }

  /** Additive causal mask [S, S]: 0 on and below the diagonal, float32's lowest value above (as transformers). */
  static NDArray causalMask(NDManager manager, int seq) {
    float[] mask = new float[seq * seq];
    for (int i = 0; i < seq; i++) {
      for (int j = i + 1; j < seq; j++) {
        mask[i * seq + j] = -Float.MAX_VALUE;
      }
    }
    return manager.create(mask, new Shape(seq, seq));
  }
}
