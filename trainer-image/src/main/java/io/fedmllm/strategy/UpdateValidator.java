package io.fedmllm.strategy;

import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a client update may be aggregated: its tensors must have exactly the global adapter's names and
 * shapes and hold only finite values, and it must carry a positive sample count (and, when required, a
 * control-variate delta of the same layout). Checks run names first, then shapes, then values, so the first problem
 * reported is the most basic one.
 */
public final class UpdateValidator {

  private final TensorMap reference;
  private final boolean requireControlDelta;

  /**
   * @param reference the global adapter the update must match
   * @param requireControlDelta whether updates must carry a SCAFFOLD control-variate delta
   */
  public UpdateValidator(TensorMap reference, boolean requireControlDelta) {
    this.reference = reference;
    this.requireControlDelta = requireControlDelta;
  }

  /** Empty when the update is acceptable, otherwise the first reason to refuse it. */
  public Optional<Rejection> check(ClientUpdate update) {
    String client = "update from client '" + update.clientId() + "'";
    if (update.numSamples() < 1) {
      return Optional.of(new Rejection(RejectionReason.BAD_FORMAT, null,
          client + " reports " + update.numSamples() + " training samples; at least 1 is required"));
    }
    Optional<Rejection> weights = checkTensors(reference, update.weights(), client);
    if (weights.isPresent() || !requireControlDelta) {
      return weights;
    }
    if (update.controlDelta().isEmpty()) {
      return Optional.of(new Rejection(RejectionReason.BAD_FORMAT, null,
          client + " carries no control-variate delta, which SCAFFOLD requires"));
    }
    return checkTensors(reference, update.controlDelta(), client + ", control-variate delta");
  }

  /**
   * Checks {@code candidate} against {@code reference}: same names, same shapes, finite values.
   *
   * @param what describes the candidate at the start of messages, e.g. "update from client 'c3'"
   */
  public static Optional<Rejection> checkTensors(TensorMap reference, TensorMap candidate, String what) {
    for (String name : candidate.names()) {
      if (!reference.contains(name)) {
        return Optional.of(new Rejection(RejectionReason.UNKNOWN_TENSOR, name,
            what + ": unknown tensor '" + name + "'"));
      }
    }
    for (Map.Entry<String, Tensor> e : reference) {
      Optional<Tensor> theirs = candidate.find(e.getKey());
      if (theirs.isEmpty()) {
        return Optional.of(new Rejection(RejectionReason.MISSING_TENSOR, e.getKey(),
            what + ": missing tensor '" + e.getKey() + "'"));
      }
      if (!theirs.get().sameShape(e.getValue())) {
        return Optional.of(new Rejection(RejectionReason.SHAPE_MISMATCH, e.getKey(),
            what + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(theirs.get().shape())
                + ", expected " + Arrays.toString(e.getValue().shape())));
      }
    }
    for (Map.Entry<String, Tensor> e : candidate) {
      float[] data = e.getValue().data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          return Optional.of(new Rejection(RejectionReason.NAN_OR_INF, e.getKey(),
              what + ": tensor '" + e.getKey() + "' holds " + data[i] + " at flat index " + i));
        }
      }
    }
    return Optional.empty();
  }
}
