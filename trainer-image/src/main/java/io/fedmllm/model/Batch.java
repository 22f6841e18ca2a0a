package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A batch laid out as the model wants it, still on the Java heap: normalised images [B,3,H,W] (zeros where absent),
 * image presence [B], tokens [B,T], text mask [B,T], targets [B,T] and loss mask [B,T].
 */
public record Batch(
    int size,
    int imageSize,
    int textLength,
    float[] images,
    float[] imagePresent,
    long[] tokens,
    float[] textMask,
    long[] targets,
    float[] lossMask) implements ModelInputs {

  /** @param pixels per sample the HWC bytes from {@link ImagePreprocessor}, or null for no image */
  public static Batch of(List<EncodedSequence> sequences, List<byte[]> pixels, int imageSize) {
    int b = sequences.size();
    if (b == 0 || pixels.size() != b) {
      throw new IllegalArgumentException("batch needs one image slot per sequence and at least one sequence");
    }
    int t = 1;
    for (EncodedSequence s : sequences) {
      t = Math.max(t, s.usedLength());
    }
    int imageFloats = 3 * imageSize * imageSize;
    float[] images = new float[b * imageFloats];
    float[] present = new float[b];
    long[] tokens = new long[b * t];
    float[] textMask = new float[b * t];
    long[] targets = new long[b * t];
    float[] lossMask = new float[b * t];
    for (int i = 0; i < b; i++) {
      EncodedSequence s = sequences.get(i);
      System.arraycopy(s.tokens(), 0, tokens, i * t, t);
      System.arraycopy(s.textMask(), 0, textMask, i * t, t);
      System.arraycopy(s.targets(), 0, targets, i * t, t);
      System.arraycopy(s.lossMask(), 0, lossMask, i * t, t);
      byte[] px = pixels.get(i);
      if (px != null) {
        ImagePreprocessor.normalise(px, imageSize, images, i * imageFloats);
        present[i] = 1f;
      }
    }
    return new Batch(b, imageSize, t, images, present, tokens, textMask, targets, lossMask);
  }

  /** The model inputs [images, imagePresent, tokens, textMask] as arrays of {@code manager}. */
  public NDList inputs(NDManager manager) {
    return new NDList(
        manager.create(images, new Shape(size, 3, imageSize, imageSize)),
        manager.create(imagePresent, new Shape(size)),
        manager.create(tokens, new Shape(size, textLength)),
        manager.create(textMask, new Shape(size, textLength)));
  }

  @Override
  public int width() {
    return textLength;
  }
}
