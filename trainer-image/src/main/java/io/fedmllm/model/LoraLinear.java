package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.Map;

/**
 * A frozen linear projection {@code y = x W^T + b} that, when the caller's {@link LoraWeights} hold an adapter for
 * it, adds the low-rank update {@code (alpha/r) * dropout(x) A^T B^T}. With B = 0 the output equals the base exactly.
 */
final class LoraLinear extends ModelBlock {
  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  /** Decoder layer and projection name ("q_proj", ...) when this projection can carry an adapter. */
  private final int layer;
  private final String projection;

  LoraLinear(int in, int out, float initStd) {
    this(in, out, initStd, -1, null);
  }

  LoraLinear(int in, int out, float initStd, int layer, String projection) {
    this.in = in;
    this.out = out;
    this.layer = layer;
    this.projection = projection;
    weight =
        parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), new NormalInitializer(initStd));
    bias = parameter("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS);
  }

  int inFeatures() {
    return in;
  }

  int outFeatures() {
    return out;
  }

  @Override
  NDArray forward(ForwardContext ctx, NDArray x) {
    NDArray y = Linear.linear(x, weight.getArray(), bias.getArray()).head();
    LoraWeights lora = ctx.lora();
    if (projection == null || lora == null || !lora.has(layer, projection)) {
      return y;
    }
    NDArray a = lora.a(layer, projection);
    NDArray b = lora.b(layer, projection);
    NDArray dropped = ctx.dropout(x, lora.config().dropout());
    NDArray delta = Linear.linear(Linear.linear(dropped, a).head(), b).head();
    return y.add(delta.mul(ctx.scalar(lora.config().scale())));
  }

  @Override
  void collectParameters(String prefix, Map<String, Parameter> out) {
    out.put(prefix + ".weight", weight);
    out.put(prefix + ".bias", bias);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
  }
}
