package io.fedmllm.hf;

import java.io.IOException;

/**
 * A Hugging Face checkpoint directory that cannot be used as it is: a missing file, a config key out of range, a
 * missing or mis-shaped tensor. The message is one line naming the file and the key or tensor.
 */
public final class CheckpointException extends IOException {

  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
