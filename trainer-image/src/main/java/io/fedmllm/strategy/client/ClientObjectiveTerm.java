package io.fedmllm.strategy.client;

/**
 * A term a federated client adds to its local training (FedProx, the paper's middle-layer regulariser, SCAFFOLD's
 * drift correction). Terms act on the heap copy of each adapter tensor: {@link #apply} on the gradient right before
 * the optimiser step, {@link #afterStep} on the parameters right after it.
 */
public interface ClientObjectiveTerm {

  /**
   * Adds this term's gradient for tensor {@code name} to {@code grad} and returns the term's value for that tensor
   * (its contribution to the reported loss; 0 for terms that do not touch the gradient).
   */
  double apply(String name, float[] theta, float[] grad);

  /**
   * Changes tensor {@code name}'s parameters in place after the optimiser has stepped them with {@code learningRate}
   * (the round's client rate). Does nothing unless a term overrides it.
   */
  default void afterStep(String name, float[] theta, double learningRate) {}
}
