package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;

/**
 * A federated server optimiser. Strategy objects are immutable configuration; everything that changes from round to
 * round lives in {@link ServerState}, which the caller persists between rounds.
 *
 * <p>A round: {@code Aggregation a = strategy.begin(global, state)}, {@code a.add(update)} for each received update
 * in ascending client-id order, then {@code RoundResult r = a.finish()} yields the next global adapter and state.
 */
public interface ServerStrategy {

  /** The name {@link ServerStrategies#create} knows this strategy by. */
  String name();

  /** The resolved parameters in canonical text form ({@code key=value}, sorted, comma-separated). */
  String parameters();

  /** The state before the first round for an adapter with {@code global}'s layout. */
  ServerState initialState(TensorMap global);

  /**
   * Starts aggregating one round.
   *
   * @throws IllegalArgumentException if {@code state} belongs to another strategy or parameters, or its tensors do
   *     not match {@code global}'s layout
   */
  Aggregation begin(TensorMap global, ServerState state);
}
