package io.fedmllm.strategy.client;

import ai.djl.ndarray.NDArray;

/**
 * A term a federated client adds to its local training (FedProx, the paper's middle-layer regulariser, SCAFFOLD's
 * drift correction). Terms act on the adapter tensors on their device: {@link #apply} on the (clipped) gradient right
 * before the optimiser step, {@link #afterStep} on the parameters right after it. The trainer passes parameters
 * detached from the autograd graph, so terms may change them in place.
 */
public interface ClientObjectiveTerm {

  /**
   * Adds this term's gradient for tensor {@code name} to {@code grad} in place and returns the term's value for that
   * tensor as a 0-d array (its contribution to the reported loss), or null for terms that do not touch the gradient.
   */
  NDArray apply(String name, NDArray theta, NDArray grad);

  /**
   * Changes tensor {@code name}'s parameters in place after the optimiser has stepped them with {@code learningRate}
   * (the round's client rate). Does nothing unless a term overrides it.
   */
  default void afterStep(String name, NDArray theta, double learningRate) {}
}
