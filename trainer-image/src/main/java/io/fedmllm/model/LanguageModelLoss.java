package io.fedmllm.model;

import ai.djl.ndarray.NDArray;

/** Log-likelihood of the scored (answer) tokens, per sequence and as the mean cross-entropy training loss. */
public final class LanguageModelLoss {
  private LanguageModelLoss() {}

  /** Sum over scored positions of log p(target), one value per sequence: [B]. */
  public static NDArray sequenceLogLikelihood(NDArray logits, NDArray targets, NDArray lossMask) {
    NDArray tokenLogProb = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    return tokenLogProb.mul(lossMask).sum(new int[] {1});
  }

  /** Mean negative log-likelihood per scored token over the whole batch (a 0-d array). */
  public static NDArray meanCrossEntropy(
      ForwardContext ctx, NDArray logits, NDArray targets, NDArray lossMask, int scoredTokens) {
    if (scoredTokens <= 0) {
      throw new IllegalArgumentException("batch has no scored tokens");
    }
    return sequenceLogLikelihood(logits, targets, lossMask).sum().mul(ctx.scalar(-1f / scoredTokens));
  }
}
