package io.fedmllm.operator.storage;

/** A storage call failed; the message is one line and names no secret. */
public class StorageAccessException extends Exception {

  private static final long serialVersionUID = 1L;

  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
