package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.TextConfig;
import java.io.IOException;

/**
 * Grouped-query causal self-attention of Llama / Mistral / Qwen2: q/k/v projections (with bias for Qwen2), rotary
 * embedding of q and k, each key/value head shared by {@code heads / kvHeads} consecutive query heads, scores scaled by
 * {@code headDim^-0.5}, softmax in float32, o projection.
 */
public record LlamaAttention(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, int headDim) {

  public static LlamaAttention load(CheckpointArrays arrays, String prefix, TextConfig config) throws IOException {
    return new LlamaAttention(
        Linear.load(arrays, prefix + ".q_proj", config.qkvBias()),
        Linear.load(arrays, prefix + ".k_proj", config.qkvBias()),
        Linear.load(arrays, prefix + ".v_proj", config.qkvBias()),
        Linear.load(arrays, prefix + ".o_proj", config.outputBias()),
        config.attentionHeads(), config.keyValueHeads(), config.headDim());
  }

  /**
   * @param x [B, S, hidden]
   * @param cos rotary table [S, headDim]
   * @param sin rotary table [S, headDim]
   * @param mask additive causal mask [S, S] (0 where allowed, a large negative number elsewhere), for the composed
   *     attention; the fused kernel applies the same causal rule itself
   * @param adapters LoRA adapters of this pass (of any module; those of q/k/v/o apply here)
   */
  public NDArray apply(NDArray x, NDArray cos, NDArray sin, NDArray mask, LoraAdapters adapters) {
    long batch = x.getShape().get(0);
    long seq = x.getShape().get(1);
    NDArray qh = RotaryEmbedding.apply(split(q.apply(x, adapters), batch, seq, heads), cos, sin);
    NDArray kh = repeatKv(RotaryEmbedding.apply(split(k.apply(x, adapters), batch, seq, kvHeads), cos, sin), batch, seq);
    NDArray vh = repeatKv(split(v.apply(x, adapters), batch, seq, kvHeads), batch, seq);
    NDArray context;
    if (FusedAttention.ENABLED) {
      // the decoder's only mask is the causal one (right-padded batches need no other)
      context = FusedAttention.causal(qh, kh, vh);
    } else {
      NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(Scalars.of(x, (float) Math.pow(headDim, -0.5)));
      // the mask is float32 and so is the softmax (transformers' eager attention), then back to the values' type
      context = Precision.like(Precision.widen(scores).add(mask).softmax(-1), vh).matMul(vh);
    }
    return o.apply(context.transpose(0, 2, 1, 3).reshape(batch, seq, (long) heads * headDim), adapters);
  }

  /** The linear layers adapters may target. */
  public java.util.List<Linear> linears() {
    return java.util.List.of(q, k, v, o);
  }

  private NDArray split(NDArray t, long batch, long seq, int n) {
    return t.reshape(batch, seq, n, headDim).transpose(0, 2, 1, 3);
  }

  /** [B, kvHeads, S, d] to [B, heads, S, d], kv head j serving query heads j*g .. j*g+g-1. */
  private NDArray repeatKv(NDArray t, long batch, long seq) {
    int group = heads / kvHeads;
    if (group == 1) {
      return t;
    }
    return t.expandDims(2).broadcast(new Shape(batch, kvHeads, group, seq, headDim))
        .reshape(batch, heads, seq, headDim);
  }
}
