package io.fedmllm.protocol;

/**
 * A trainer cannot take part at all (no usable data, a broken data file): retrying does not help, so the trainer
 * records a {@link TrainerFailure} for the aggregator before it exits.
 */
public final class TrainerFailedException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  public TrainerFailedException(String reason) {
    super(reason);
  }
}
