package io.fedmllm.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.model.ModelInputs;

/**
 * A batch for a checkpoint's forward pass, on the heap: right-padded token ids [B, T], the pixel values of every
 * image in order [N, C, H, W] (none when no sample has one), and the scored window: for each row the {@code window}
 * positions from the last prompt token on, whose next tokens are the completion. Only those positions go through the
 * output head, so a batch never materialises [B, T, vocab].
 *
 * @param firstScored per row, the position whose next token is the completion's first
 * @param targets [B, window] next-token ids of the scored window (pad beyond a row's completion)
 * @param lossMask [B, window] 1 for a completion token, 0 for padding
 */
public record HfBatch(int size, int length, long[] ids, float[] pixels, long[] pixelShape, int window,
    int[] firstScored, long[] targets, float[] lossMask) implements ModelInputs {

  public NDArray ids(NDManager manager) {
    return manager.create(ids, new Shape(size, length));
  }

  /** The pixel values, or null when the batch has no image. */
  public NDArray pixels(NDManager manager) {
    return pixels == null ? null : manager.create(pixels, new Shape(pixelShape));
  }

  /** Flat row indices into [B * T] of the scored window, [B * window]; padding rows point at position 0. */
  public NDArray scoredRows(NDManager manager) {
    long[] rows = new long[size * window];
    for (int b = 0; b < size; b++) {
      for (int w = 0; w < window; w++) {
        int position = firstScored[b] + w;
        rows[b * window + w] = (long) b * length + (position < length ? position : 0);
      }
    }
    return manager.create(rows);
  }

  @Override
  public int width() {
    return window;
  }
}
