package io.fedmllm.hf;

import java.util.List;

/**
 * The decoder of a checkpoint ({@code text_config}): a Llama-style transformer (Llama, Mistral, Qwen2), with the
 * defaults of transformers' config class for each {@code model_type} where a key is absent.
 *
 * @param qkvBias q/k/v projections have a bias (Qwen2 always, Llama when {@code attention_bias})
 * @param outputBias the o projection has a bias (Llama {@code attention_bias})
 * @param tiedEmbeddings the output head is the token embedding matrix (no {@code lm_head} on disk)
 */
public record TextConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int layers,
    int attentionHeads, int keyValueHeads, int headDim, double rmsNormEps, RopeParameters rope, boolean qkvBias,
    boolean outputBias, boolean mlpBias, String hiddenAct, int maxPositionEmbeddings, boolean tiedEmbeddings) {

  static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2");

  /** Width of the k and v projections. */
  public int keyValueWidth() {
    return keyValueHeads * headDim;
  }

  /** Width of the q projection. */
  public int queryWidth() {
    return attentionHeads * headDim;
  }

  static TextConfig read(ConfigFields top, ConfigFields text) throws CheckpointException {
    String type = text.string("model_type");
    if (!MODEL_TYPES.contains(type)) {
      throw text.error("model_type", "'" + type + "' is not supported (supported: " + String.join(", ", MODEL_TYPES)
          + ")");
    }
    boolean qwen = type.equals("qwen2");
    boolean mistral = type.equals("mistral");
    int vocab = text.positiveInt("vocab_size", qwen ? 151936 : 32000);
    int hidden = text.positiveInt("hidden_size", 4096);
    int intermediate = text.positiveInt("intermediate_size", qwen ? 22016 : mistral ? 14336 : 11008);
    int layers = text.positiveInt("num_hidden_layers", 32);
    int heads = text.positiveInt("num_attention_heads", 32);
    int kvHeads = text.positiveInt("num_key_value_heads", mistral ? 8 : heads);
    if (heads % kvHeads != 0) {
      throw text.error("num_key_value_heads", "is " + kvHeads + ", which does not divide num_attention_heads "
          + heads);
    }
    if (!text.has("head_dim") && hidden % heads != 0) {
      throw text.error("num_attention_heads", "is " + heads + ", which does not divide hidden_size " + hidden);
    }
    int headDim = text.positiveInt("head_dim", hidden / heads);
    if (headDim % 2 != 0) {
      throw text.error("head_dim", "is " + headDim + ", rotary embeddings need an even head dimension");
    }
    double eps = text.positiveNumber("rms_norm_eps", 1e-6);
    RopeParameters rope = RopeParameters.read(text, 10000.0);
    boolean attentionBias = !qwen && !mistral && text.bool("attention_bias", false);
    boolean mlpBias = !qwen && !mistral && text.bool("mlp_bias", false);
    String act = text.string("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw text.error("hidden_act", "is '" + act + "', only silu (SwiGLU) is supported");
    }
    int maxPositions = text.positiveInt("max_position_embeddings", qwen ? 32768 : mistral ? 131072 : 2048);
    // transformers ties on the decoder config's flag; the top-level one is its default
    boolean tied = text.bool("tie_word_embeddings", top.bool("tie_word_embeddings", false));
    return new TextConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim, eps, rope,
        qwen || attentionBias, attentionBias, mlpBias, act, maxPositions, tied);
  }
}
