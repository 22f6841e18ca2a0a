package io.fedmllm.train;

import java.util.Random;

/** Walks a seeded permutation of the client's samples, reshuffling at each epoch boundary. */
final class BatchCursor {
  private final int[] permutation;
  private final Random random;
  private int position;

  BatchCursor(int n, Random random) {
    this.random = random;
    permutation = new int[n];
    for (int i = 0; i < n; i++) {
      permutation[i] = i;
    }
    shuffle();
  }

  int[] next(int size) {
    int[] out = new int[Math.min(size, permutation.length)];
    for (int i = 0; i < out.length; i++) {
      if (position == permutation.length) {
        shuffle();
      }
      out[i] = permutation[position++];
    }
    return out;
  }

  private void shuffle() {
    for (int i = permutation.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = t;
    }
    position = 0;
  }
}
