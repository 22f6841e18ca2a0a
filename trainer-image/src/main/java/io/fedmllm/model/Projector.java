package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import java.util.Map;

/** LLaVA's two-layer GELU MLP from the vision width into the language model's embedding space. */
final class Projector extends ModelBlock {
  private final LoraLinear first;
  private final LoraLinear second;

  Projector(int visionDim, int dim, float initStd) {
    first = addChildBlock("linear_1", new LoraLinear(visionDim, dim, initStd));
    second = addChildBlock("linear_2", new LoraLinear(dim, dim, initStd));
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray visionFeatures) {
    return second.forward(ctx, Activation.gelu(first.forward(ctx, visionFeatures)));
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    first.collectParameters(prefix + ".linear_1", out);
    second.collectParameters(prefix + ".linear_2", out);
  }
}
