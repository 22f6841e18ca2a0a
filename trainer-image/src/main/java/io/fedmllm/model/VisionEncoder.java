package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ViT-style image encoder: non-overlapping patches, a linear patch embedding plus learned positions, bidirectional
 * transformer layers and a final LayerNorm. Input [B, 3, H, W] normalised pixels; output [B, patches, visionDim].
 */
final class VisionEncoder extends ModelBlock {
  private final int patch;
  private final int side;
  private final LoraLinear patchEmbedding;
  private final Parameter positions;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final LayerNormBlock norm;

  VisionEncoder(ModelConfig c) {
    patch = c.patchSize();
    side = c.imageSize() / c.patchSize();
    patchEmbedding =
        addChildBlock("patch_embedding", new LoraLinear(3 * patch * patch, c.visionDim(), c.initStd()));
    positions =
        parameter(
            "position_embedding",
            Parameter.Type.WEIGHT,
            new Shape(c.imageTokens(), c.visionDim()),
            new NormalInitializer(c.initStd()));
    for (int i = 0; i < c.visionLayers(); i++) {
      layers.add(
          addChildBlock(
              "layer" + i,
              new TransformerLayer(
                  c.visionDim(), c.visionHeads(), c.visionMlpDim(), c.layerNormEps(), c.initStd(), -1)));
    }
    norm = addChildBlock("post_layernorm", new LayerNormBlock(c.visionDim(), c.layerNormEps()));
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray images) {
    long batch = images.getShape().get(0);
    NDArray patches =
        images
            .reshape(batch, 3, side, patch, side, patch)
            .transpose(0, 2, 4, 1, 3, 5)
            .reshape(batch, (long) side * side, 3L * patch * patch);
    NDArray h = patchEmbedding.forward(ctx, patches).add(positions.getArray());
    for (TransformerLayer layer : layers) {
      h = layer.forward(ctx, h);
    }
    return norm.forward(ctx, h);
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    patchEmbedding.collectParameters(prefix + ".patch_embedding", out);
    out.put(prefix + ".position_embedding", positions);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).collectParameters(prefix + ".layers." + i, out);
    }
    norm.collectParameters(prefix + ".post_layernorm", out);
  }
}
