package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsDtypeTest {

  @TempDir Path dir;

  @Test
  void halfPrecisionWidensExactly() {
    assertEquals(1f, SafetensorsDtype.halfToFloat((short) 0x3c00));
    assertEquals(-2f, SafetensorsDtype.halfToFloat((short) 0xc000));
    assertEquals(65504f, SafetensorsDtype.halfToFloat((short) 0x7bff), "largest finite half");
    assertEquals(0x1p-14f, SafetensorsDtype.halfToFloat((short) 0x0400), "smallest normal");
    assertEquals(0x1p-24f, SafetensorsDtype.halfToFloat((short) 0x0001), "smallest subnormal");
    assertEquals(1023 * 0x1p-24f, SafetensorsDtype.halfToFloat((short) 0x03ff), "largest subnormal");
    assertEquals(0.333251953125f, SafetensorsDtype.halfToFloat((short) 0x3555));
    assertEquals(Float.POSITIVE_INFINITY, SafetensorsDtype.halfToFloat((short) 0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, SafetensorsDtype.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(SafetensorsDtype.halfToFloat((short) 0x7e00)));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SafetensorsDtype.halfToFloat((short) 0x8000)));
  }

  @Test
  void everyFiniteHalfIsOneUlpAboveThePreviousAndNegationIsTheSignBit() {
    float previous = 0f;
    for (int h = 1; h < 0x7c00; h++) {
      float v = SafetensorsDtype.halfToFloat((short) h);
      int exponent = Math.max((h - 1) >>> 10, 1); // the step is the ulp of the value below
      assertEquals(Math.scalb(1f, exponent - 25), v - previous, "step below half 0x" + Integer.toHexString(h));
      assertEquals(-v, SafetensorsDtype.halfToFloat((short) (h | 0x8000)));
      previous = v;
    }
  }

  @Test
  void checkpointReaderWidensHalfAndBfloat16AndRefusesIntegerTensors() throws Exception {
    // bf16 1.5 = 0x3fc0, -0.25 = 0xbe80; f16 1.5 = 0x3e00, -0.25 = 0xb400; i64 7
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putShort((short) 0x3fc0).putShort((short) 0xbe80).putShort((short) 0x3e00).putShort((short) 0xb400)
        .putLong(7);
    Path file = write("{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"h\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[4,8]},"
        + "\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}", data.array());
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(file)) {
      assertArrayEquals(new float[] {1.5f, -0.25f}, reader.read("b").data());
      Tensor h = reader.read("h");
      assertArrayEquals(new long[] {2, 1}, h.shape());
      assertArrayEquals(new float[] {1.5f, -0.25f}, h.data());
      SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> reader.read("position_ids"));
      assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'position_ids'")
          && e.getMessage().contains("I64"), e.getMessage());
    }
    SafetensorsFormatException strict = assertThrows(SafetensorsFormatException.class,
        () -> SafetensorsReader.open(file));
    assertTrue(strict.getMessage().contains("unsupported dtype BF16"), strict.getMessage());
  }

  @Test
  void aSizeThatDoesNotMatchTheDtypeNamesTheTensor() throws Exception {
    Path file = write("{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,12]}}", new byte[12]);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> SafetensorsReader.openCheckpoint(file));
    assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("F16 shape [3] needs 6"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsRefusedOnOpenNamingTheFile() throws Exception {
    Path file = write("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(file) - 3);
    }
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> SafetensorsReader.openCheckpoint(file));
    assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("data section has 5 bytes"),
        e.getMessage());
  }

  @Test
  void tensorsLargerThanOneMappedWindowAreStitchedInOrder() throws Exception {
    int n = SafetensorsReader.WINDOW_BYTES / Float.BYTES + 1000;
    Path file = dir.resolve("big.safetensors");
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    Safetensors.write(file, TensorMap.builder().put("a", new Tensor(new long[] {1}, new float[] {-1f}))
        .put("big", new Tensor(new long[] {n}, values)).build());
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(file)) {
      float[] read = reader.read("big").data();
      assertEquals(n, read.length);
      for (int i : new int[] {0, n / 2, SafetensorsReader.WINDOW_BYTES / Float.BYTES - 1,
          SafetensorsReader.WINDOW_BYTES / Float.BYTES, n - 1}) {
        assertEquals(i, read[i], "element " + i);
      }
      assertArrayEquals(values, read);
    }
  }

  private Path write(String json, byte[] data) throws Exception {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    int padded = (header.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(header);
    for (int i = header.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    out.put(data);
    Path file = dir.resolve("t" + System.nanoTime() + ".safetensors");
    Files.write(file, out.array());
    return file;
  }
}
