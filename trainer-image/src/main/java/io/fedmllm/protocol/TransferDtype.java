package io.fedmllm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.util.Map;

/**
 * The element type client updates travel in: {@code float32}, or {@code float16}, which halves the bytes a trainer
 * uploads and the aggregator downloads (values rounded to nearest even, about three decimal digits, range +-65504).
 * Readers widen either to float32 and the aggregation runs in float32. Part of the federation's configuration: a
 * committed round's updates were rounded (or not) under it.
 */
public enum TransferDtype {
  @JsonProperty("float32")
  FLOAT32,
  @JsonProperty("float16")
  FLOAT16;

  /** The safetensors bytes of {@code tensors} in this element type (deterministic, no metadata). */
  public byte[] encode(TensorMap tensors) {
    return this == FLOAT16 ? Safetensors.encodeHalf(tensors, Map.of()) : Safetensors.encode(tensors, Map.of());
  }

  /**
   * What a reader of {@link #encode}'s bytes gets: {@code tensors} itself for float32, every value rounded to the
   * nearest half for float16. Lets an in-process simulation aggregate exactly what the protocol would.
   */
  public TensorMap roundTrip(TensorMap tensors) {
    return this == FLOAT32 ? tensors : UpdateCodec.decode(encode(tensors), "float16 round trip");
  }

  /** The spelling of the spec and {@code federation.json}: {@code float32} or {@code float16}. */
  public String spelling() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code float32} or {@code float16}; anything else is an error naming {@code field}. */
  public static TransferDtype parse(String value, String field) {
    for (TransferDtype d : values()) {
      if (d.spelling().equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException(field + ": '" + value + "' is not float32 or float16");
  }
}
