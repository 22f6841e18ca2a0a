package io.fedmllm.strategy.client;

/**
 * A term a federated client adds to its local objective or gradient (FedProx, the paper's middle-layer regulariser,
 * SCAFFOLD's drift correction). Terms act on the heap copy of each adapter tensor right before the optimiser step.
 */
public interface ClientObjectiveTerm {

  /**
   * Adds this term's gradient for tensor {@code name} to {@code grad} and returns the term's value for that tensor
   * (its contribution to the reported loss; 0 for pure gradient corrections).
   */
  double apply(String name, float[] theta, float[] grad);
}
