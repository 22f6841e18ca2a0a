package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import java.util.Map;

/** A pre-LayerNorm transformer layer: x + attn(ln1(x)), then x + mlp(ln2(x)) with a GELU MLP. */
final class TransformerLayer extends ModelBlock {
  private final LayerNormBlock ln1;
  private final MultiHeadAttention attention;
  private final LayerNormBlock ln2;
  private final LoraLinear up;
  private final LoraLinear down;

  /** @param layer decoder layer index (adapters allowed), or -1 for a vision layer */
  TransformerLayer(int dim, int heads, int mlpDim, float eps, float initStd, int layer) {
    ln1 = addChildBlock("input_layernorm", new LayerNormBlock(dim, eps));
    attention = addChildBlock("self_attn", new MultiHeadAttention(dim, heads, initStd, layer));
    ln2 = addChildBlock("post_attention_layernorm", new LayerNormBlock(dim, eps));
    up = addChildBlock("up_proj", new LoraLinear(dim, mlpDim, initStd));
    down = addChildBlock("down_proj", new LoraLinear(mlpDim, dim, initStd));
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray x) {
    return forward(ctx, x, null);
  }

  NDArray forward(ForwardContext ctx, NDArray x, NDArray attentionBias) {
    NDArray h = x.add(attention.attend(ctx, ln1.forward(ctx, x), attentionBias));
    NDArray mlp = down.forward(ctx, Activation.gelu(up.forward(ctx, ln2.forward(ctx, h))));
    return h.add(mlp);
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    ln1.collectParameters(prefix + ".input_layernorm", out);
    attention.collectParameters(prefix + ".self_attn", out);
    ln2.collectParameters(prefix + ".post_attention_layernorm", out);
    up.collectParameters(prefix + ".mlp.up_proj", out);
    down.collectParameters(prefix + ".mlp.down_proj", out);
  }
}
