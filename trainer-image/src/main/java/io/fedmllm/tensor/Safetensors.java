package io.fedmllm.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * The safetensors format in pure Java: float32 (and half precision for adapters sent in F16).
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code n}, {@code n} bytes of UTF-8 JSON
 * ({@code {"__metadata__": {str: str}, name: {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}, ...}}, padded
 * with spaces to a multiple of 8), then the raw little-endian data. Writing is deterministic: tensors in name order,
 * metadata keys sorted, so equal inputs give equal bytes. Reading validates strictly (see {@link SafetensorsHeader});
 * for memory-bounded processing use {@link #open(Path)} and iterate.
 */
public final class Safetensors {

  private static final int CHUNK_FLOATS = 1 << 14;

  private Safetensors() {}

  /** Tensors and metadata of a fully read file. */
  public record Content(TensorMap tensors, SortedMap<String, String> metadata) {}

  /** Writes {@code tensors} with no metadata, atomically. */
  public static void write(Path file, TensorMap tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /** Writes {@code tensors} and {@code metadata}, atomically (temporary file, then rename). */
  public static void write(Path file, TensorMap tensors, Map<String, String> metadata) throws IOException {
    AtomicFiles.write(file, out -> writeTo(out, tensors, metadata));
  }

  /** The file's bytes in memory. */
  public static byte[] encode(TensorMap tensors, Map<String, String> metadata) {
    // The bytes of writeTo, written straight into one array of the exact size: a stream sized by guess grew (a
    // header of more than 1 KiB copied the whole buffer once) and then copied it again for toByteArray.
    byte[] header = SafetensorsHeader.layout(tensors, metadata).encode();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(Long.BYTES + header.length + tensors.byteSize()))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header);
    FloatBuffer floats = out.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (Map.Entry<String, Tensor> e : tensors) {
      floats.put(e.getValue().data());
    }
    if (floats.hasRemaining()) {
      throw new IllegalStateException("safetensors encode: " + floats.remaining() + " floats of the " + tensors.byteSize()
          + " data bytes left unwritten");
    }
    return out.array();
  }

  /**
   * The file's bytes in memory with every tensor stored as IEEE half precision (F16, rounded to nearest even): half
   * the data bytes of {@link #encode}, about three decimal digits per value, range +-65504 (larger magnitudes become
   * infinity). Deterministic like {@link #encode}.
   */
  public static byte[] encodeHalf(TensorMap tensors, Map<String, String> metadata) {
    byte[] header = SafetensorsHeader.layout(tensors, metadata, SafetensorsDtype.F16).encode();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(Long.BYTES + header.length + tensors.byteSize() / 2))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header);
    for (Map.Entry<String, Tensor> e : tensors) {
      for (float v : e.getValue().data()) {
        out.putShort(SafetensorsDtype.floatToHalf(v));
      }
    }
    return out.array();
  }

  /** Reads and validates bytes whose tensors may be any of {@code accepted}, widened to float32. */
  public static Content decode(byte[] bytes, String sourceName, java.util.Set<SafetensorsDtype> accepted)
      throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.of(bytes, sourceName, accepted)) {
      return new Content(reader.readAll(), reader.metadata());
    }
  }

  /** Streams the file's bytes to {@code out} (not closed). */
  public static void writeTo(OutputStream out, TensorMap tensors, Map<String, String> metadata) throws IOException {
    byte[] header = SafetensorsHeader.layout(tensors, metadata).encode();
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(header.length);
    out.write(buffer.array(), 0, Long.BYTES);
    out.write(header);
    FloatBuffer floats = buffer.clear().asFloatBuffer();
    for (Map.Entry<String, Tensor> e : tensors) {
      float[] data = e.getValue().data();
      for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, data.length - from);
        floats.clear();
        floats.put(data, from, n);
        out.write(buffer.array(), 0, n * Float.BYTES);
      }
    }
  }

  /** Reads and validates a whole file. */
  public static Content read(Path file) throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      return new Content(reader.readAll(), reader.metadata());
    }
  }

  /** Reads and validates bytes; {@code sourceName} appears in error messages. */
  public static Content decode(byte[] bytes, String sourceName) throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.of(bytes, sourceName)) {
      return new Content(reader.readAll(), reader.metadata());
    }
  }

  /** Opens a file for reading tensor by tensor. */
  public static SafetensorsReader open(Path file) throws IOException {
    return SafetensorsReader.open(file);
  }
}
