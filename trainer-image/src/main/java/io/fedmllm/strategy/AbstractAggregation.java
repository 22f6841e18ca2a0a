package io.fedmllm.strategy;

import io.fedmllm.tensor.TensorMap;

/**
 * Validation, ordering and lifecycle shared by all aggregations; subclasses only fold an accepted update into their
 * sums and compute the result.
 */
abstract class AbstractAggregation implements Aggregation {

  protected final TensorMap global;
  protected final ServerState state;
  private final UpdateValidator validator;
  private String lastClientId;
  private int count;
  private boolean finished;

  AbstractAggregation(TensorMap global, ServerState state, boolean requireControlDelta) {
    this.global = global;
    this.state = state;
    this.validator = new UpdateValidator(global, requireControlDelta);
  }

  @Override
  public final void add(ClientUpdate update) {
    if (finished) {
      throw new IllegalStateException("aggregation already finished");
    }
    if (lastClientId != null && update.clientId().compareTo(lastClientId) <= 0) {
      throw new IllegalArgumentException("updates must be added in ascending client id order: '"
          + update.clientId() + "' after '" + lastClientId + "'");
    }
    validator.check(update).ifPresent(r -> {
      throw new UpdateRejectedException(r);
    });
    beforeAccumulate(update, count + 1);
    accumulate(update);
    lastClientId = update.clientId();
    count++;
  }

  @Override
  public final int updateCount() {
    return count;
  }

  @Override
  public final RoundResult finish() {
    if (finished) {
      throw new IllegalStateException("aggregation already finished");
    }
    if (count == 0) {
      throw new IllegalStateException("no client update to aggregate in round " + (state.round() + 1));
    }
    finished = true;
    return result(count);
  }

  /** Hook to refuse an update for strategy-specific reasons before anything is accumulated. */
  void beforeAccumulate(ClientUpdate update, int countIncludingThis) {}

  /** Folds a validated update into the running sums. */
  abstract void accumulate(ClientUpdate update);

  /** Computes the round's result from {@code count >= 1} accumulated updates. */
  abstract RoundResult result(int count);
}
