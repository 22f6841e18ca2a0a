package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.function.UnaryOperator;

/** The activation functions transformers names in configs ({@code hidden_act}, {@code projector_hidden_act}). */
public final class Activations {

  private Activations() {}

  public static UnaryOperator<NDArray> named(String name) {
    return switch (name) {
      case "gelu" -> Activation::gelu; // exact (erf) GELU
      case "gelu_pytorch_tanh", "gelu_new" -> Activations::geluTanh;
      case "quick_gelu" -> x -> x.mul(Activation.sigmoid(x.mul(Scalars.of(x, 1.702f))));
      case "silu" -> x -> x.mul(Activation.sigmoid(x));
      default -> throw new IllegalArgumentException("activation '" + name + "' is not supported (supported: gelu, "
          + "gelu_pytorch_tanh, gelu_new, quick_gelu, silu)");
    };
  }

  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
  static NDArray geluTanh(NDArray x) {
    NDArray inner = x.add(x.pow(Scalars.of(x, 3f)).mul(Scalars.of(x, 0.044715f)))
        .mul(Scalars.of(x, (float) Math.sqrt(2 / Math.PI)));
    return x.mul(inner.tanh().add(Scalars.of(x, 1f))).mul(Scalars.of(x, 0.5f));
  }
}
