package io.fedmllm.hf.image;

/**
 * PIL's resampling filters with the integer codes image processor configs store in {@code resample}
 * ({@code PIL.Image.Resampling}), each with the support and kernel of Pillow's {@code Resample.c}.
 */
public enum ResampleFilter {
  LANCZOS(1, 3.0),
  BILINEAR(2, 1.0),
  BICUBIC(3, 2.0),
  BOX(4, 0.5),
  HAMMING(5, 1.0);

  private static final double BICUBIC_A = -0.5;

  private final int pilCode;
  private final double support;

  ResampleFilter(int pilCode, double support) {
    this.pilCode = pilCode;
    this.support = support;
  }

  public int pilCode() {
    return pilCode;
  }

  double support() {
    return support;
  }

  /** The filter of a PIL resample code; NEAREST (0) and unknown codes are refused. */
  public static ResampleFilter ofPilCode(int code) {
    for (ResampleFilter f : values()) {
      if (f.pilCode == code) {
        return f;
      }
    }
    throw new IllegalArgumentException("resample " + code + " is not supported (supported: 1 LANCZOS, 2 BILINEAR, "
        + "3 BICUBIC, 4 BOX, 5 HAMMING)");
  }

  double weight(double x) {
    switch (this) {
      case BOX:
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
      case BILINEAR:
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
      case HAMMING:
        x = Math.abs(x);
        if (x == 0.0) {
          return 1.0;
        }
        if (x >= 1.0) {
          return 0.0;
        }
        x *= Math.PI;
        return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
      case BICUBIC:
        x = Math.abs(x);
        if (x < 1.0) {
          return ((BICUBIC_A + 2.0) * x - (BICUBIC_A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
          return (((x - 5) * x + 8) * x - 4) * BICUBIC_A;
        }
        return 0.0;
      case LANCZOS:
        return -3.0 < x && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
      default:
        throw new AssertionError(this);
    }
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    x *= Math.PI;
    return Math.sin(x) / x;
  }
}
