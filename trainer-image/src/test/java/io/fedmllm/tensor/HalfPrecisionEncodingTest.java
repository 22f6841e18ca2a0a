package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfPrecisionEncodingTest {

  @Test
  void everyHalfSurvivesWideningAndNarrowingBitForBit() {
    for (int h = 0; h < 0x10000; h++) {
      float wide = SafetensorsDtype.halfToFloat((short) h);
      if (Float.isNaN(wide)) {
        assertTrue(Float.isNaN(SafetensorsDtype.halfToFloat(SafetensorsDtype.floatToHalf(wide))));
        continue;
      }
      assertEquals(h, SafetensorsDtype.floatToHalf(wide) & 0xffff, "half 0x" + Integer.toHexString(h));
    }
  }

  @Test
  void narrowingRoundsToNearestWithTiesToEven() {
    float one = 1f;
    float ulp = 0x1p-10f; // spacing of halves in [1, 2)
    assertEquals(0x3c00, SafetensorsDtype.floatToHalf(one + ulp / 2) & 0xffff, "tie goes to the even 1.0");
    assertEquals(0x3c02, SafetensorsDtype.floatToHalf(one + 3 * ulp / 2) & 0xffff, "tie goes to the even 1+2ulp");
    assertEquals(0x3c01, SafetensorsDtype.floatToHalf(Math.nextUp(one + ulp / 2)) & 0xffff);
    assertEquals(0x7bff, SafetensorsDtype.floatToHalf(65519f) & 0xffff, "below the overflow threshold");
    assertEquals(0x7c00, SafetensorsDtype.floatToHalf(65520f) & 0xffff, "rounds up to infinity");
    assertEquals(0x0001, SafetensorsDtype.floatToHalf(0x1.8p-25f) & 0xffff, "above half the smallest subnormal");
    assertEquals(0x0000, SafetensorsDtype.floatToHalf(0x1p-25f) & 0xffff, "tie to the even zero");
    assertEquals(0x8000, SafetensorsDtype.floatToHalf(-1e-30f) & 0xffff, "signed zero");
    assertEquals(0x0400, SafetensorsDtype.floatToHalf(Math.nextDown(0x1p-14f)) & 0xffff, "carry into normal");
  }

  @Test
  void randomValuesRoundTripWithinHalfAUnitAndTheFileIsHalfTheData() throws Exception {
    SplittableRandom random = new SplittableRandom(17);
    float[] a = new float[4096];
    float[] b = new float[8 * 64];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (random.nextGaussian() * 0.02);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (random.nextGaussian() * 3);
    }
    TensorMap tensors = TensorMap.builder()
        .put("a", new Tensor(new long[] {64, 64}, a))
        .put("b", new Tensor(new long[] {8, 64}, b))
        .build();
    byte[] full = Safetensors.encode(tensors, Map.of());
    byte[] half = Safetensors.encodeHalf(tensors, Map.of());
    long dataBytes = tensors.byteSize();
    assertEquals(dataBytes / 2, half.length - headerBytes(half));
    assertEquals(dataBytes, full.length - headerBytes(full));
    assertTrue(half.length < 0.51 * full.length, half.length + " vs " + full.length);

    TensorMap back = Safetensors.decode(half, "half", SafetensorsDtype.TRANSFER).tensors();
    for (String name : new String[] {"a", "b"}) {
      float[] original = tensors.get(name).data();
      float[] decoded = back.get(name).data();
      for (int i = 0; i < original.length; i++) {
        float x = original[i];
        // half has 11 significant bits: relative error at most 2^-11 for normals, absolute 2^-25 below 2^-14
        float bound = Math.max(Math.abs(x) * 0x1p-11f, 0x1p-25f);
        assertTrue(Math.abs(decoded[i] - x) <= bound, name + "[" + i + "]: " + x + " -> " + decoded[i]);
      }
    }
    assertTrue(java.util.Arrays.equals(half, Safetensors.encodeHalf(tensors, Map.of())), "deterministic bytes");
  }

  @Test
  void theFloat32OnlyReaderStillRefusesHalfPrecision() {
    TensorMap tensors = TensorMap.builder().put("a", new Tensor(new long[] {2}, new float[] {1, 2})).build();
    byte[] half = Safetensors.encodeHalf(tensors, Map.of());
    SafetensorsFormatException e =
        assertThrows(SafetensorsFormatException.class, () -> Safetensors.decode(half, "update.safetensors"));
    assertTrue(e.getMessage().contains("F16"), e.getMessage());
  }

  private static long headerBytes(byte[] file) {
    long n = java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    return 8 + n;
  }
}
