package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * Multi-head self-attention with q/k/v/o projections. The additive attention bias (causal and padding mask, shape
 * [B, 1, S, S] or null for full attention) is set per call through {@link #attend}.
 */
final class MultiHeadAttention extends ModelBlock {
  private final int heads;
  private final int headDim;
  private final LoraLinear q;
  private final LoraLinear k;
  private final LoraLinear v;
  private final LoraLinear o;

  /** @param layer decoder layer index for LoRA lookup, or -1 for attention that never carries adapters */
  MultiHeadAttention(int dim, int heads, float initStd, int layer) {
    this.heads = heads;
    this.headDim = dim / heads;
    q = addChildBlock("q_proj", projection(dim, initStd, layer, "q_proj"));
    k = addChildBlock("k_proj", projection(dim, initStd, layer, "k_proj"));
    v = addChildBlock("v_proj", projection(dim, initStd, layer, "v_proj"));
    o = addChildBlock("o_proj", projection(dim, initStd, layer, "o_proj"));
  }

  private static LoraLinear projection(int dim, float initStd, int layer, String name) {
    return layer < 0
        ? new LoraLinear(dim, dim, initStd)
        : new LoraLinear(dim, dim, initStd, layer, name);
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray x) {
    return attend(ctx, x, null);
  }

  NDArray attend(ForwardContext ctx, NDArray x, NDArray bias) {
    long batch = x.getShape().get(0);
    long seq = x.getShape().get(1);
    NDArray qh = splitHeads(q.forward(ctx, x), batch, seq);
    NDArray kh = splitHeads(k.forward(ctx, x), batch, seq);
    NDArray vh = splitHeads(v.forward(ctx, x), batch, seq);
    NDArray scores =
        qh.matMul(kh.transpose(0, 1, 3, 2)).mul(ctx.scalar((float) (1.0 / Math.sqrt(headDim))));
    if (bias != null) {
      scores = scores.add(bias);
    }
    NDArray context = scores.softmax(-1).matMul(vh);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, seq, (long) heads * headDim);
    return o.forward(ctx, merged);
  }

  private NDArray splitHeads(NDArray t, long batch, long seq) {
    return t.reshape(batch, seq, heads, headDim).transpose(0, 2, 1, 3);
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    q.collectParameters(prefix + ".q_proj", out);
    k.collectParameters(prefix + ".k_proj", out);
    v.collectParameters(prefix + ".v_proj", out);
    o.collectParameters(prefix + ".o_proj", out);
  }
}
