package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.fedmllm.hf.VisionConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A ViT vision tower as transformers' CLIP, SigLIP and SmolVLM/Idefics3 vision models compute it: the patch
 * convolution (as a matrix product over non-overlapping patches), a class token and {@code pre_layrnorm} for CLIP,
 * learned position embeddings, pre-norm encoder layers. {@link #hiddenStates} returns transformers'
 * {@code hidden_states} tuple: the encoder input, then each layer's output, all before {@code post_layernorm}.
 */
public final class VisionTower {

  /** One encoder layer: attention and MLP, each pre-normed with a residual. */
  public record Layer(LayerNorm norm1, Linear q, Linear k, Linear v, Linear out, LayerNorm norm2, Linear fc1,
      Linear fc2, int heads, UnaryOperator<NDArray> act) {

    public NDArray apply(NDArray x) {
      NDArray h = x.add(attention(norm1.apply(x)));
      return h.add(fc2.apply(act.apply(fc1.apply(norm2.apply(h)))));
    }

    private NDArray attention(NDArray x) {
      long batch = x.getShape().get(0);
      long seq = x.getShape().get(1);
      long width = x.getShape().get(2);
      long headDim = width / heads;
      NDArray qh = q.apply(x).reshape(batch, seq, heads, headDim).transpose(0, 2, 1, 3);
      NDArray kh = k.apply(x).reshape(batch, seq, heads, headDim).transpose(0, 2, 1, 3);
      NDArray vh = v.apply(x).reshape(batch, seq, heads, headDim).transpose(0, 2, 1, 3);
      NDArray context;
      if (FusedAttention.ENABLED) {
        context = FusedAttention.full(qh, kh, vh);
      } else {
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(Scalars.of(qh, (float) Math.pow(headDim, -0.5)));
        context = Precision.like(Precision.widen(scores).softmax(-1), vh).matMul(vh);
      }
      return out.apply(context.transpose(0, 2, 1, 3).reshape(batch, seq, width));
    }
  }

  private final VisionConfig config;
  private final NDArray patchWeight;
  private final NDArray patchBias;
  private final NDArray classEmbedding;
  private final NDArray positionEmbedding;
  private final LayerNorm preNorm;
  private final List<Layer> layers;
  private final LayerNorm postNorm;

  private VisionTower(VisionConfig config, NDArray patchWeight, NDArray patchBias, NDArray classEmbedding,
      NDArray positionEmbedding, LayerNorm preNorm, List<Layer> layers, LayerNorm postNorm) {
    this.config = config;
    this.patchWeight = patchWeight;
    this.patchBias = patchBias;
    this.classEmbedding = classEmbedding;
    this.positionEmbedding = positionEmbedding;
    this.preNorm = preNorm;
    this.layers = List.copyOf(layers);
    this.postNorm = postNorm;
  }

  /** Loads the {@code vision.*} tensors of a verified checkpoint. */
  public static VisionTower load(CheckpointArrays arrays, VisionConfig config) throws IOException {
    boolean clip = config.isClip();
    long d = config.hiddenSize();
    NDArray patch = arrays.load("vision.embeddings.patch_embedding.weight").reshape(d, -1);
    NDArray patchBias = clip ? null : arrays.load("vision.embeddings.patch_embedding.bias");
    NDArray cls = clip ? arrays.load("vision.embeddings.class_embedding") : null;
    NDArray positions = arrays.load("vision.embeddings.position_embedding.weight");
    LayerNorm pre = clip ? LayerNorm.load(arrays, "vision.pre_layrnorm", config.layerNormEps()) : null;
    UnaryOperator<NDArray> act = Activations.named(config.hiddenAct());
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      String p = "vision.encoder.layers." + i;
      layers.add(new Layer(LayerNorm.load(arrays, p + ".layer_norm1", config.layerNormEps()),
          Linear.load(arrays, p + ".self_attn.q_proj", true), Linear.load(arrays, p + ".self_attn.k_proj", true),
          Linear.load(arrays, p + ".self_attn.v_proj", true), Linear.load(arrays, p + ".self_attn.out_proj", true),
          LayerNorm.load(arrays, p + ".layer_norm2", config.layerNormEps()),
          Linear.load(arrays, p + ".mlp.fc1", true), Linear.load(arrays, p + ".mlp.fc2", true),
          config.attentionHeads(), act));
    }
    LayerNorm post = LayerNorm.load(arrays, "vision.post_layernorm", config.layerNormEps());
    return new VisionTower(config, patch, patchBias, cls, positions, pre, layers, post);
  }

  public VisionConfig config() {
    return config;
  }

  /**
   * transformers' {@code hidden_states}: [layers + 1] arrays [N, positions, D] for pixel values [N, C, H, W]. The
   * tower is frozen and never adapted, so each layer runs in its own scope that frees its intermediates (a 512 px
   * tile's attention scores alone are 50 MB per head group and op) as soon as its output exists: without it the
   * intermediates of all layers lived until the caller's scope closed, 4 GB at the peak for SmolVLM-256M's tower.
   */
  public List<NDArray> hiddenStates(NDArray pixels) {
    List<NDArray> states = new ArrayList<>();
    NDArray h = embed(pixels);
    states.add(h);
    for (Layer layer : layers) {
      try (NDScope scope = new NDScope()) {
        h = layer.apply(h);
        NDScope.unregister(h);
      }
      NDScope.register(h);
      states.add(h);
    }
    return states;
  }

  /** The last layer's output after {@code post_layernorm} (SmolVLM's {@code last_hidden_state}). */
  public NDArray lastHiddenState(NDArray pixels) {
    List<NDArray> states = hiddenStates(pixels);
    return postNorm.apply(states.get(states.size() - 1));
  }

  private NDArray embed(NDArray pixels) {
    long n = pixels.getShape().get(0);
    long c = config.channels();
    long p = config.patchSize();
    long g = config.patchesPerSide();
    if (pixels.getShape().get(1) != c || pixels.getShape().get(2) != g * p || pixels.getShape().get(3) != g * p) {
      throw new IllegalArgumentException("pixel values " + pixels.getShape() + " do not match the tower's "
          + c + " x " + g * p + " x " + g * p + " input");
    }
    // a stride-p, p x p convolution is a matrix product over the flattened (channel, row, column) patches
    NDArray patches = Precision.as(pixels, patchWeight.getDataType()).reshape(n, c, g, p, g, p)
        .transpose(0, 2, 4, 1, 3, 5).reshape(n, g * g, c * p * p);
    NDArray h = patches.matMul(patchWeight.transpose());
    if (patchBias != null) {
      h = h.add(patchBias);
    }
    if (classEmbedding != null) {
      h = classEmbedding.reshape(1, 1, -1).broadcast(n, 1, config.hiddenSize()).concat(h, 1);
    }
    h = h.add(positionEmbedding);
    return preNorm == null ? h : preNorm.apply(h);
  }
}
