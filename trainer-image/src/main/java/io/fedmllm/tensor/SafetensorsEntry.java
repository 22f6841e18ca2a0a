package io.fedmllm.tensor;

import java.util.Arrays;

/**
 * One tensor's line in a safetensors header: name, shape and its byte range relative to the start of the data
 * section. Only float32 ({@code "F32"}) entries exist in this project.
 */
public record SafetensorsEntry(String name, long[] shape, long begin, long end) {

  public SafetensorsEntry {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of float values. */
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
    return o instanceof SafetensorsEntry e && name.equals(e.name) && Arrays.equals(shape, e.shape)
        && begin == e.begin && end == e.end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + "@[" + begin + "," + end + ")";
  }
}
