package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import java.util.Map;

/** LayerNorm over the last axis (no running statistics, so a frozen base stays frozen). */
final class LayerNormBlock extends ModelBlock {
  private final int dim;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;

  LayerNormBlock(int dim, float eps) {
    this.dim = dim;
    this.eps = eps;
    gamma = parameter("weight", Parameter.Type.GAMMA, new Shape(dim), Initializer.ONES);
    beta = parameter("bias", Parameter.Type.BETA, new Shape(dim), Initializer.ZEROS);
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray x) {
    return LayerNorm.layerNorm(x, new Shape(dim), gamma.getArray(), beta.getArray(), eps).head();
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    out.put(prefix + ".weight", gamma);
    out.put(prefix + ".bias", beta);
  }
}
