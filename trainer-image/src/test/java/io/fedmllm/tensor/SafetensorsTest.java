package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  @Test
  void writesTheReferenceLayoutByteForByte() {
    TensorMap one = TensorMap.builder().put("a", new Tensor(new long[] {2}, new float[] {1f, 2f})).build();
    byte[] bytes = Safetensors.encode(one, Map.of());
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes, padded to 56
    ByteBuffer expected = ByteBuffer.allocate(8 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(56).put(json.getBytes(StandardCharsets.US_ASCII)).put("  ".getBytes(StandardCharsets.US_ASCII));
    expected.putFloat(1f).putFloat(2f);
    assertArrayEquals(expected.array(), bytes);
  }

  @Test
  void metadataComesFirstAndTensorsInNameOrder() {
    Map<String, Tensor> insertionOrder = new LinkedHashMap<>();
    insertionOrder.put("z", new Tensor(new long[] {1}, new float[] {3f}));
    insertionOrder.put("b", new Tensor(new long[] {1, 1}, new float[] {2f}));
    byte[] bytes = Safetensors.encode(TensorMap.of(insertionOrder), Map.of("y", "2", "format", "pt"));
    String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(),
        StandardCharsets.UTF_8);
    assertEquals("{\"__metadata__\":{\"format\":\"pt\",\"y\":\"2\"},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
        + "\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", header.stripTrailing());
    assertEquals(0, (8 + header.length()) % 8, "data section starts 8-byte aligned");
  }

  @Test
  void fileRoundTripIsExactInBytesAndValues() throws Exception {
    TensorMap tensors = randomTensors(new Random(7));
    Map<String, String> meta = Map.of("round", "3", "note", "quote \" backslash \\ tab \t é");
    Path first = dir.resolve("a.safetensors");
    Path second = dir.resolve("b.safetensors");
    Safetensors.write(first, tensors, meta);
    Safetensors.Content content = Safetensors.read(first);
    assertEquals(tensors, content.tensors());
    assertEquals(meta, content.metadata());
    Safetensors.write(second, content.tensors(), content.metadata());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertArrayEquals(Files.readAllBytes(first), Safetensors.encode(tensors, meta));
  }

  @Test
  void preservesSpecialFloatBitPatterns() throws Exception {
    float[] special = {-0f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)};
    TensorMap t = TensorMap.builder().put("s", new Tensor(new long[] {5}, special)).build();
    float[] back = Safetensors.decode(Safetensors.encode(t, Map.of()), "mem").tensors().get("s").data();
    for (int i = 0; i < special.length; i++) {
      assertEquals(Float.floatToRawIntBits(special[i]), Float.floatToRawIntBits(back[i]), "value " + i);
    }
  }

  @Test
  void emptyMapAndZeroSizedTensorsRoundTrip() throws Exception {
    assertEquals(TensorMap.empty(), Safetensors.decode(Safetensors.encode(TensorMap.empty(), Map.of()), "m").tensors());
    TensorMap zero = TensorMap.builder().put("e", Tensor.zeros(0, 4)).put("f", Tensor.zeros(1)).build();
    assertEquals(zero, Safetensors.decode(Safetensors.encode(zero, Map.of()), "m").tensors());
  }

  @Test
  void streamingReaderYieldsOneTensorAtATimeInDataOrder() throws Exception {
    TensorMap tensors = randomTensors(new Random(11));
    Path file = dir.resolve("s.safetensors");
    Safetensors.write(file, tensors);
    List<String> seen = new ArrayList<>();
    try (SafetensorsReader reader = Safetensors.open(file)) {
      assertEquals(tensors.get("layer.1.w"), reader.read("layer.1.w"));
      for (NamedTensor nt : reader) {
        seen.add(nt.name());
        assertEquals(tensors.get(nt.name()), nt.tensor());
      }
      assertFalse(reader.contains("nope"));
    }
    assertEquals(tensors.names(), seen);
  }

  @Test
  void rejectsNonF32DtypeNamingFileAndTensor() {
    byte[] bytes = withHeader("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Safetensors.decode(bytes, "client-3/update.safetensors"));
    assertTrue(e.getMessage().contains("client-3/update.safetensors"), e.getMessage());
    assertEquals("w", e.tensor().orElseThrow());
    assertTrue(e.getMessage().contains("BF16"), e.getMessage());
  }

  @Test
  void rejectsInconsistentOffsets() {
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertFormatError(withHeader(gap, 12), "b", "gap or overlap");
    String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    assertFormatError(withHeader(overlap, 8), "b", "gap or overlap");
    String wrongSize = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    assertFormatError(withHeader(wrongSize, 8), "a", "needs 12");
    String reversed = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}";
    assertFormatError(withHeader(reversed, 0), "a", "before begin");
  }

  @Test
  void rejectsFileSizeThatDoesNotMatchHeader() {
    String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertFormatError(withHeader(ok, 4), null, "data section has 4 bytes");
    assertFormatError(withHeader(ok, 12), null, "data section has 12 bytes");
    assertFormatError(new byte[5], null, "shorter than the 8-byte header length");
    byte[] hugeHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    assertFormatError(hugeHeader, null, "exceeds");
  }

  @Test
  void rejectsMalformedHeaders() {
    assertFormatError(withHeader("[1,2]", 0), null, "does not start with '{'");
    assertFormatError(withHeader("{\"a\":", 0), null, "not valid JSON");
    assertFormatError(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0), null, "Duplicate");
    assertFormatError(withHeader("{\"__metadata__\":{\"k\":1}}", 0), null, "not a string");
    assertFormatError(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), "a",
        "non-negative");
    assertFormatError(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "a",
        "unknown field");
    assertFormatError(withHeader("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "a", "missing dtype");
  }

  @Test
  void truncatedFileOnDiskIsRejectedWithItsPath() throws Exception {
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, randomTensors(new Random(3)));
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 4));
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void atomicWriteLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("x.safetensors");
    Safetensors.write(file, randomTensors(new Random(1)));
    Safetensors.write(file, randomTensors(new Random(2)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    assertEquals(randomTensors(new Random(2)), Safetensors.read(file).tensors());
  }

  private static void assertFormatError(byte[] bytes, String tensor, String fragment) {
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Safetensors.decode(bytes, "buf"));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().startsWith("buf"), e.getMessage());
    assertEquals(tensor, e.tensor().orElse(null), e.getMessage());
  }

  private static byte[] withHeader(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length).put(h).array();
  }

  static TensorMap randomTensors(Random random) {
    TensorMap.Builder b = TensorMap.builder();
    for (int layer = 0; layer < 3; layer++) {
      int rows = 1 + random.nextInt(5);
      int cols = 1 + random.nextInt(7);
      float[] data = new float[rows * cols];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) random.nextGaussian();
      }
      b.put("layer." + layer + ".w", new Tensor(new long[] {rows, cols}, data));
    }
    return b.build();
  }

  @Test
  void inMemoryBytesAreTheStreamedBytesAlsoWithAHeaderOverOneKibibyte() throws Exception {
    TensorMap.Builder b = TensorMap.builder();
    Random random = new Random(3);
    for (int t = 0; t < 40; t++) {
      float[] data = new float[100 + t];
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextFloat() - 0.5f;
      }
      b.put(String.format("model.layers.%02d.self_attn.q_proj.lora_A.weight", t), new Tensor(new long[] {data.length},
          data));
    }
    TensorMap tensors = b.build();
    java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
    Safetensors.writeTo(streamed, tensors, Map.of("format", "pt"));
    byte[] encoded = Safetensors.encode(tensors, Map.of("format", "pt"));
    long headerLength = ByteBuffer.wrap(encoded, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertTrue(headerLength > 1024, "the header must exceed 1 KiB to test that case: " + headerLength);
    assertArrayEquals(streamed.toByteArray(), encoded);
  }
}
