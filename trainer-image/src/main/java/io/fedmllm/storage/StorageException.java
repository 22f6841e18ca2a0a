package io.fedmllm.storage;

/** Object storage failed in a way retrying did not (or cannot) fix; the message names the operation and key. */
public class StorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;

  public StorageException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** True when the failure looked temporary (connection refused, timeout, 5xx): retrying may succeed later. */
  public boolean isTransient() {
    return transientFailure;
  }
}
