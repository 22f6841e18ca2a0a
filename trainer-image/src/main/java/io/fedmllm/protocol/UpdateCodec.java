package io.fedmllm.protocol;

import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.util.Map;

/** Adapters, updates and control deltas travel as plain safetensors files (deterministic bytes, no metadata). */
public final class UpdateCodec {

  private UpdateCodec() {}

  public static byte[] encode(TensorMap tensors) {
    return Safetensors.encode(tensors, Map.of());
  }

  /** @throws ProtocolException naming {@code source} when the bytes are not a valid safetensors file */
  public static TensorMap decode(byte[] bytes, String source) {
    try {
      return Safetensors.decode(bytes, source).tensors();
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException(source + ": not a valid safetensors file: " + e.getMessage());
    }
  }
}
