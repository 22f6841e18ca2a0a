package io.fedmllm.model;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes a sample's picture with DJL's image factory and resizes it to the model's square input, keeping the result
 * as HWC bytes (decoding a JPEG every epoch is wasted work). Pixels are normalised to [-1, 1] when a batch is built.
 * One instance per client: its cache holds that client's images only.
 */
public final class ImagePreprocessor implements SampleImages {
  private final int size;
  private final NDManager manager;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public ImagePreprocessor(int size, NDManager manager) {
    this.size = size;
    this.manager = manager;
  }

  public int size() {
    return size;
  }

  /** RGB bytes [size, size, 3] of the sample's image, or null when the sample has none. */
  public byte[] pixels(Sample sample) {
    if (sample.image().isEmpty()) {
      return null;
    }
    ImageSource source = sample.image().get();
    return cache.computeIfAbsent(source.describe(), key -> decode(source));
  }

  private byte[] decode(ImageSource source) {
    Image image;
    try {
      image = source.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + source.describe() + ": " + e.getMessage(), e);
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray hwc = image.toNDArray(scope, Image.Flag.COLOR);
      if (image.getWidth() != size || image.getHeight() != size) {
        hwc = ai.djl.modality.cv.util.NDImageUtils.resize(hwc, size, size, Image.Interpolation.BILINEAR);
      }
      return hwc.toType(DataType.UINT8, false).toByteArray();
    }
  }

  /** Writes the normalised CHW pixels of {@code hwc} into {@code out} at {@code offset}. */
  static void normalise(byte[] hwc, int size, float[] out, int offset) {
    int plane = size * size;
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        out[offset + c * plane + p] = (hwc[p * 3 + c] & 0xff) / 127.5f - 1f;
      }
    }
  }
}
