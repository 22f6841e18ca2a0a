package io.fedmllm.api.progress;

/** Why a client update was refused. The names are stable: they appear in metrics labels and status records. */
public enum RejectionReason {
  /** A value is NaN or infinite. */
  NAN_OR_INF,
  /** A tensor that the global adapter does not have. */
  UNKNOWN_TENSOR,
  /** A tensor of the global adapter is absent. */
  MISSING_TENSOR,
  /** A tensor's shape differs from the global adapter's. */
  SHAPE_MISMATCH,
  /** The bytes received do not match the checksum the client announced (checked by the round protocol). */
  CHECKSUM_MISMATCH,
  /** The update cannot be decoded or lacks required parts (sample count, control-variate delta). */
  BAD_FORMAT
}
