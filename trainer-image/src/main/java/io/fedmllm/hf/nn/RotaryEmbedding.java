package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.RopeParameters;

/**
 * Rotary position embedding over the whole head dimension, as transformers computes it: the frequencies of the
 * config's rope type ({@link RopeParameters#inverseFrequencies}), the angle table duplicated over both halves, and
 * {@code rotate_half} pairing element {@code i} with {@code i + d/2}.
 */
public final class RotaryEmbedding {

  private final int headDim;
  private final float[] inverseFrequencies;
  private final int validPositions;
  private final String type;

  public RotaryEmbedding(int headDim, RopeParameters rope) {
    this(headDim, rope, Integer.MAX_VALUE);
  }

  /** @param maxPositionEmbeddings the config's context, which dynamic scaling keeps the default rope within */
  public RotaryEmbedding(int headDim, RopeParameters rope, int maxPositionEmbeddings) {
    this.headDim = headDim;
    this.inverseFrequencies = rope.inverseFrequencies(headDim);
    this.validPositions = rope.validPositions(maxPositionEmbeddings);
    this.type = rope.type();
  }

  /** The longest sequence {@link #tables} builds for. */
  public int validPositions() {
    return validPositions;
  }

  /** cos and sin tables [positions, headDim] for positions 0..positions-1. */
  public NDArray[] tables(NDManager manager, int positions) {
    if (positions > validPositions) {
      throw new IllegalArgumentException("a sequence of " + positions + " positions exceeds the " + validPositions
          + " within which rope_type '" + type + "' keeps its frequencies; shorten the samples");
    }
    float[] cos = new float[positions * headDim];
    float[] sin = new float[positions * headDim];
    int half = headDim / 2;
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        float angle = inverseFrequencies[i] * p;
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[p * headDim + i] = c;
        cos[p * headDim + half + i] = c;
        sin[p * headDim + i] = s;
        sin[p * headDim + half + i] = s;
      }
    }
    Shape shape = new Shape(positions, headDim);
    return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
  }

  /** Rotates {@code x} [B, heads, S, headDim] by the tables of its S positions. */
  public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    long half = x.getShape().get(3) / 2;
    NDArray first = x.get(":, :, :, :" + half);
    NDArray second = x.get(":, :, :, " + half + ":");
    NDArray rotated = second.neg().concat(first, 3);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
