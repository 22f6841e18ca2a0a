package io.fedmllm.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor held on the Java heap: the unit that adapters, client updates and server state are made of
 * once they leave the training engine. Row-major, like safetensors and PyTorch.
 */
public record Tensor(long[] shape, float[] data) {

  public Tensor {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  public static Tensor zeros(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new Tensor(shape, new float[Math.toIntExact(n)]);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int size() {
    return data.length;
  }

  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
