package io.fedmllm.tensor;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The element types a safetensors header may name. Update files of this project are F32 only; checkpoints also hold
 * F16 and BF16, which {@link #decode} widens to float in Java (DJL 0.36 aborts the JVM on BFLOAT16 tensors), and may
 * carry integer buffers (old CLIP checkpoints store {@code position_ids} as I64) that are recognised but not read.
 */
public enum SafetensorsDtype {
  F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

  /** What update files and adapters may hold. */
  public static final Set<SafetensorsDtype> F32_ONLY = EnumSet.of(F32);
  /** What an adapter or update sent through storage may hold: F32, or F16 when the federation transfers half precision. */
  public static final Set<SafetensorsDtype> TRANSFER = EnumSet.of(F32, F16);
  /** Everything a checkpoint header may name. */
  public static final Set<SafetensorsDtype> ALL = EnumSet.allOf(SafetensorsDtype.class);

  private final int bytes;

  SafetensorsDtype(int bytes) {
    this.bytes = bytes;
  }

  public int byteSize() {
    return bytes;
  }

  /** Whether {@link #decode} reads this type. */
  public boolean widensToFloat() {
    return this == F32 || this == F16 || this == BF16;
  }

  public static Optional<SafetensorsDtype> parse(String name) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads {@code count} little-endian elements of this type from {@code src} (position advanced) into
   * {@code dst[offset..]} as floats.
   */
  public void decode(ByteBuffer src, float[] dst, int offset, int count) {
    switch (this) {
      case F32 -> src.asFloatBuffer().get(dst, offset, count);
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          dst[offset + i] = Float.intBitsToFloat((src.getShort(src.position() + 2 * i) & 0xffff) << 16);
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          dst[offset + i] = halfToFloat(src.getShort(src.position() + 2 * i));
        }
      }
      default -> throw new IllegalStateException(this + " does not widen to float");
    }
    src.position(src.position() + count * bytes);
  }

  /**
   * IEEE 754 binary32 to binary16, rounding to nearest (ties to even) as a cast in PyTorch or numpy does: values
   * beyond the largest half (65504 plus half a unit) become infinity, tiny ones subnormal or signed zero, NaN stays
   * NaN.
   */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    int halfExponent = exponent - 112;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      int shift = 14 - halfExponent;
      if (shift > 24) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int quotient = full >>> shift;
      int remainder = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (remainder > halfway || remainder == halfway && (quotient & 1) != 0) {
        quotient++;
      }
      return (short) (sign | quotient);
    }
    int half = sign | (halfExponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || rest == 0x1000 && (half & 1) != 0) {
      half++; // a carry out of the mantissa raises the exponent, up to infinity: still the correctly rounded value
    }
    return (short) half;
  }

  /** IEEE 754 binary16 to binary32, exact for every value including subnormals, infinities and NaN payloads. */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal: value = mantissa * 2^-24, exact in float
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
