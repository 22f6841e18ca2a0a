package io.fedmllm.protocol;

import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.SafetensorsDtype;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;

/**
 * Adapters, updates and control deltas travel as plain safetensors files (deterministic bytes, no metadata): float32,
 * or float16 for updates of a federation whose {@link TransferDtype} is {@code float16}. Decoding accepts both and
 * widens to float32, so updates written before the choice existed (F32) read as before.
 */
public final class UpdateCodec {

  private UpdateCodec() {}

  /** Float32 bytes (adapters and server data the aggregator writes). */
  public static byte[] encode(TensorMap tensors) {
    return TransferDtype.FLOAT32.encode(tensors);
  }

  /** Bytes in {@code dtype} (what a trainer uploads). */
  public static byte[] encode(TensorMap tensors, TransferDtype dtype) {
    return dtype.encode(tensors);
  }

  /** @throws ProtocolException naming {@code source} when the bytes are not a valid F32 or F16 safetensors file */
  public static TensorMap decode(byte[] bytes, String source) {
    try {
      return Safetensors.decode(bytes, source, SafetensorsDtype.TRANSFER).tensors();
    } catch (IOException | RuntimeException e) {
      throw new ProtocolException(source + ": not a valid safetensors file: " + e.getMessage());
    }
  }
}
