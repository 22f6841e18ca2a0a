package io.fedmllm.protocol;

/** A data object's bytes differ from the size or SHA-256 its manifest names. */
public final class ChecksumMismatchException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  public ChecksumMismatchException(String message) {
    super(message);
  }
}
