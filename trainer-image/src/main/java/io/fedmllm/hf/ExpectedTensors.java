package io.fedmllm.hf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors a config implies, by canonical name (see {@link TensorNaming}), with their shapes. */
public final class ExpectedTensors {

  private ExpectedTensors() {}

  public static Map<String, long[]> of(HfModelConfig config) {
    Map<String, long[]> out = new LinkedHashMap<>();
    text(config.text(), out);
    vision(config.vision(), out);
    connector(config, out);
    return Collections.unmodifiableMap(out);
  }

  private static void text(TextConfig t, Map<String, long[]> out) {
    long h = t.hiddenSize();
    out.put("text.embed_tokens.weight", shape(t.vocabSize(), h));
    for (int i = 0; i < t.layers(); i++) {
      String p = "text.layers." + i + ".";
      out.put(p + "input_layernorm.weight", shape(h));
      linear(out, p + "self_attn.q_proj", t.queryWidth(), h, t.qkvBias());
      linear(out, p + "self_attn.k_proj", t.keyValueWidth(), h, t.qkvBias());
      linear(out, p + "self_attn.v_proj", t.keyValueWidth(), h, t.qkvBias());
      linear(out, p + "self_attn.o_proj", h, t.queryWidth(), t.outputBias());
      out.put(p + "post_attention_layernorm.weight", shape(h));
      linear(out, p + "mlp.gate_proj", t.intermediateSize(), h, t.mlpBias());
      linear(out, p + "mlp.up_proj", t.intermediateSize(), h, t.mlpBias());
      linear(out, p + "mlp.down_proj", h, t.intermediateSize(), t.mlpBias());
    }
    out.put("text.norm.weight", shape(h));
    if (!t.tiedEmbeddings()) {
      out.put("text.lm_head.weight", shape(t.vocabSize(), h));
    }
  }

  private static void vision(VisionConfig v, Map<String, long[]> out) {
    long d = v.hiddenSize();
    String e = "vision.embeddings.";
    out.put(e + "patch_embedding.weight", shape(d, v.channels(), v.patchSize(), v.patchSize()));
    if (v.isClip()) {
      out.put(e + "class_embedding", shape(d));
      out.put("vision.pre_layrnorm.weight", shape(d));
      out.put("vision.pre_layrnorm.bias", shape(d));
    } else {
      out.put(e + "patch_embedding.bias", shape(d));
    }
    out.put(e + "position_embedding.weight", shape(v.positions(), d));
    for (int i = 0; i < v.layers(); i++) {
      String p = "vision.encoder.layers." + i + ".";
      norm(out, p + "layer_norm1", d);
      linear(out, p + "self_attn.q_proj", d, d, true);
      linear(out, p + "self_attn.k_proj", d, d, true);
      linear(out, p + "self_attn.v_proj", d, d, true);
      linear(out, p + "self_attn.out_proj", d, d, true);
      norm(out, p + "layer_norm2", d);
      linear(out, p + "mlp.fc1", v.intermediateSize(), d, true);
      linear(out, p + "mlp.fc2", d, v.intermediateSize(), true);
    }
    norm(out, "vision.post_layernorm", d);
  }

  private static void connector(HfModelConfig config, Map<String, long[]> out) {
    long text = config.text().hiddenSize();
    long vision = config.vision().hiddenSize();
    if (config.connector() instanceof ConnectorConfig.PixelShuffle s) {
      out.put("connector.modality_projection.proj.weight", shape(text, vision * s.scaleFactor() * s.scaleFactor()));
    } else if (config.connector() instanceof ConnectorConfig.LlavaProjector p) {
      linear(out, "connector.linear_1", text, vision * p.featureLayers().size(), p.bias());
      linear(out, "connector.linear_2", text, text, p.bias());
    }
  }

  private static void linear(Map<String, long[]> out, String name, long outFeatures, long inFeatures, boolean bias) {
    out.put(name + ".weight", shape(outFeatures, inFeatures));
    if (bias) {
      out.put(name + ".bias", shape(outFeatures));
    }
  }

  private static void norm(Map<String, long[]> out, String name, long width) {
    out.put(name + ".weight", shape(width));
    out.put(name + ".bias", shape(width));
  }

  private static long[] shape(long... dims) {
    return dims;
  }
}
