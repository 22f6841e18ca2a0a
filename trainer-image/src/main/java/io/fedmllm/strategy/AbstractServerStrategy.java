package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;
import java.util.List;
import java.util.Map;

/** Checks that a state fits the strategy and the adapter before handing over to the concrete aggregation. */
abstract class AbstractServerStrategy implements ServerStrategy {

  @Override
  public final ServerState initialState(TensorMap global) {
    return new ServerState(name(), parameters(), 0, initialSlots(global));
  }

  @Override
  public final Aggregation begin(TensorMap global, ServerState state) {
    if (global.isEmpty()) {
      throw new IllegalArgumentException("global adapter has no tensors");
    }
    if (!state.strategy().equals(name()) || !continues(state.parameters())) {
      throw new IllegalArgumentException("server state was written by " + state.strategy() + "("
          + state.parameters() + "), cannot resume it with " + name() + "(" + parameters() + ")");
    }
    List<String> expectedSlots = slotNames();
    if (!state.slotNames().equals(expectedSlots)) {
      throw new IllegalArgumentException(name() + " state needs slots " + expectedSlots + ", has "
          + state.slotNames());
    }
    for (String slot : expectedSlots) {
      global.requireSameLayout(state.slot(slot), name() + " state slot '" + slot + "' does not fit the adapter");
    }
    return newAggregation(global, state);
  }

  /**
   * Whether a state written with {@code stateParameters} belongs to this strategy's configuration: the same
   * parameters, unless a strategy has parameters that may change between rounds.
   */
  boolean continues(String stateParameters) {
    return stateParameters.equals(parameters());
  }

  /** Names of the state slots, in ascending order. */
  abstract List<String> slotNames();

  /** The slots before the first round, one per name in {@link #slotNames()}. */
  abstract Map<String, TensorMap> initialSlots(TensorMap global);

  abstract Aggregation newAggregation(TensorMap global, ServerState state);
}
