package io.fedmllm.strategy;

import io.fedmllm.api.progress.RejectionReason;

/** Thrown by {@link Aggregation#add} for an update that fails validation; nothing of it was aggregated. */
public final class UpdateRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Rejection rejection;

  public UpdateRejectedException(Rejection rejection) {
    super(rejection.toString());
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }

  public RejectionReason reason() {
    return rejection.reason();
  }
}
