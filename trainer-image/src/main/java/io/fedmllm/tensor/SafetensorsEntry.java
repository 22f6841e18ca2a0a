package io.fedmllm.tensor;

import java.util.Arrays;

/**
 * One tensor's line in a safetensors header: name, element type, shape and its byte range relative to the start of
 * the data section. Files this project writes hold float32 ({@code "F32"}) only; checkpoints may hold others.
 */
public record SafetensorsEntry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

  public SafetensorsEntry {
    shape = shape.clone();
  }

  /** A float32 entry. */
  public SafetensorsEntry(String name, long[] shape, long begin, long end) {
    this(name, SafetensorsDtype.F32, shape, begin, end);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SafetensorsEntry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
        && begin == e.begin && end == e.end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + dtype + Arrays.toString(shape) + "@[" + begin + "," + end + ")";
  }
}
