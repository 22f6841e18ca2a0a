package io.fedmllm.strategy;

import io.fedmllm.api.progress.RejectionReason;
import java.util.Objects;
import java.util.Optional;

/**
 * A refused client update: the typed reason, the tensor concerned (if any) and a human-readable message that names
 * the client and the tensor.
 */
public record Rejection(RejectionReason reason, String tensor, String message) {

  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public Optional<String> tensorName() {
    return Optional.ofNullable(tensor);
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
