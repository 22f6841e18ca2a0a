package io.fedmllm.protocol;

/** A round ended without enough accepted updates; the federation fails with this message. */
final class QuorumNotReachedException extends Exception {

  private static final long serialVersionUID = 1L;

  QuorumNotReachedException(String message) {
    super(message);
  }
}
