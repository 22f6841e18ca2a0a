package io.fedmllm.protocol;

/** An object in storage breaks the round protocol (missing, unreadable, inconsistent); the message says which. */
public class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
