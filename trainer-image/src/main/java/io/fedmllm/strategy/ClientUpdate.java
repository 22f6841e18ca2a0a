package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;
import java.util.Objects;

/**
 * One client's contribution to a round: its locally trained adapter weights (not a delta), the number of training
 * samples behind them, and for SCAFFOLD the change of its control variate.
 *
 * @param clientId identifies the client; aggregations require updates in ascending id order
 * @param weights the client's adapter after local training, same names and shapes as the global adapter
 * @param numSamples training samples the client used this round, at least 1
 * @param controlDelta SCAFFOLD's {@code c_i+ - c_i}; empty for every other strategy
 */
public record ClientUpdate(String clientId, TensorMap weights, long numSamples, TensorMap controlDelta) {

  public ClientUpdate {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(controlDelta, "controlDelta");
    if (clientId.isEmpty()) {
      throw new IllegalArgumentException("clientId must be non-empty");
    }
  }

  /** An update without a control-variate delta. */
  public static ClientUpdate of(String clientId, TensorMap weights, long numSamples) {
    return new ClientUpdate(clientId, weights, numSamples, TensorMap.empty());
  }

  /** A SCAFFOLD update. */
  public static ClientUpdate withControlDelta(String clientId, TensorMap weights, long numSamples,
      TensorMap controlDelta) {
    return new ClientUpdate(clientId, weights, numSamples, controlDelta);
  }
}
