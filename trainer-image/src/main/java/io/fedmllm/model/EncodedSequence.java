package io.fedmllm.model;

/**
 * One sample's text side laid out on the model's {@code maxTextTokens} positions: token ids (BOS, prompt, answer,
 * EOS, then padding), which positions hold real tokens, each position's next-token target and whether that target
 * is scored (only answer tokens and EOS are).
 */
public record EncodedSequence(long[] tokens, float[] textMask, long[] targets, float[] lossMask) {

  public int length() {
    return tokens.length;
  }

  /** Positions up to and including the last real token; a batch needs no more than its longest. */
  public int usedLength() {
    int last = textMask.length;
    while (last > 0 && textMask[last - 1] == 0f) {
      last--;
    }
    return last;
  }

  /** Number of scored (answer) tokens. */
  public int answerTokens() {
    int n = 0;
    for (float m : lossMask) {
      n += m > 0 ? 1 : 0;
    }
    return n;
  }
}
