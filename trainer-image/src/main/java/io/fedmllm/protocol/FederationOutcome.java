package io.fedmllm.protocol;

/**
 * How a federation ended ({@code outcome.json}, written once): completed with its final adapter, or failed with a
 * one-line reason. Trainers exit when it appears.
 *
 * @param finalAdapter the last round's global adapter; null when the federation failed
 */
public record FederationOutcome(FederationPhase phase, int roundsCommitted, String message, ObjectRef finalAdapter) {

  public boolean completed() {
    return phase == FederationPhase.COMPLETED;
  }
}
