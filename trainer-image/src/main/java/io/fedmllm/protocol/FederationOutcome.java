package io.fedmllm.protocol;

import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.ObjectRef;

/**
 * How a federation ended ({@code outcome.json}, written once): completed with its final adapter, or failed with a
 * one-line reason. Trainers exit when it appears.
 *
 * @param finalAdapter the last round's global adapter; null when the federation failed
 */
public record FederationOutcome(ProgressPhase phase, int roundsCommitted, String message, ObjectRef finalAdapter) {

  public boolean completed() {
    return phase == ProgressPhase.COMPLETED;
  }
}
