package io.fedmllm.tensor;

import java.io.IOException;
import java.util.Optional;

/** A safetensors file or buffer that breaks the format; the message names the source and, when known, the tensor. */
public final class SafetensorsFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final String tensor;

  SafetensorsFormatException(String source, String tensor, String problem) {
    super(source + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem);
    this.source = source;
    this.tensor = tensor;
  }

  /** The file path or description of the buffer that was being read. */
  public String source() {
    return source;
  }

  /** The tensor the problem concerns, if it concerns one. */
  public Optional<String> tensor() {
    return Optional.ofNullable(tensor);
  }
}
