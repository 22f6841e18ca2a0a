package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.fedmllm.hf.TextConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama-style decoder of a checkpoint (Llama, Mistral, Qwen2) with its output head: token embedding, pre-norm
 * layers of grouped-query attention and SwiGLU MLP with residuals, final RMSNorm, head tied to the embedding or a
 * separate {@code lm_head}. Weights are frozen float32 arrays; the forward pass is composed of DJL primitives.
 */
public final class LlamaDecoder {

  /** One pre-norm layer. */
  public record Layer(RmsNorm inputNorm, LlamaAttention attention, RmsNorm postAttentionNorm, SwiGluMlp mlp) {
    public NDArray apply(NDArray x, NDArray cos, NDArray sin, NDArray mask) {
      NDArray h = x.add(attention.apply(inputNorm.apply(x), cos, sin, mask));
      return h.add(mlp.apply(postAttentionNorm.apply(h)));
    }
  }

  private final TextConfig config;
  private final NDArray embedTokens;
  private final List<Layer> layers;
  private final RmsNorm norm;
  private final NDArray head;
  private final RotaryEmbedding rotary;

  private LlamaDecoder(TextConfig config, NDArray embedTokens, List<Layer> layers, RmsNorm norm, NDArray head) {
    this.config = config;
    this.embedTokens = embedTokens;
    this.layers = List.copyOf(layers);
    this.norm = norm;
    this.head = head;
    this.rotary = new RotaryEmbedding(config.headDim(), config.rope());
  }

  /** Loads the {@code text.*} tensors of a verified checkpoint, without adapters. */
  public static LlamaDecoder load(CheckpointArrays arrays, TextConfig config) throws IOException {
    return load(arrays, config, LoraAdapters.NONE);
  }

  /** Loads the {@code text.*} tensors with the LoRA adapters {@code adapters} holds for its linear layers. */
  public static LlamaDecoder load(CheckpointArrays arrays, TextConfig config, LoraAdapters adapters)
      throws IOException {
    NDArray embed = arrays.load("text.embed_tokens.weight");
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      String p = "text.layers." + i;
      layers.add(new Layer(RmsNorm.load(arrays, p + ".input_layernorm", config.rmsNormEps()),
          LlamaAttention.load(arrays, p + ".self_attn", config, adapters),
          RmsNorm.load(arrays, p + ".post_attention_layernorm", config.rmsNormEps()),
          SwiGluMlp.load(arrays, p + ".mlp", config, adapters)));
    }
    RmsNorm norm = RmsNorm.load(arrays, "text.norm", config.rmsNormEps());
    NDArray head = config.tiedEmbeddings() ? embed : arrays.load("text.lm_head.weight");
    adapters.checkAllUsed();
    return new LlamaDecoder(config, embed, layers, norm, head);
  }

  public TextConfig config() {
    return config;
  }

  /** Token embeddings [B, S, hidden] of ids [B, S] (int64). */
  public NDArray embed(NDArray ids) {
    return Embedding.embedding(ids, embedTokens, SparseFormat.DENSE).head();
  }

  /** Next-token logits [B, S, vocab] of input embeddings [B, S, hidden] (text, or text with image features). */
  public NDArray logits(NDArray embeddings) {
    NDManager manager = embeddings.getManager();
    int seq = Math.toIntExact(embeddings.getShape().get(1));
    NDArray[] tables = rotary.tables(manager, seq);
    NDArray mask = causalMask(manager, seq);
    NDArray h = embeddings;
    for (Layer layer : layers) {
      h = layer.apply(h, tables[0], tables[1], mask);
    }
    return norm.apply(h).matMul(head.transpose());
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
