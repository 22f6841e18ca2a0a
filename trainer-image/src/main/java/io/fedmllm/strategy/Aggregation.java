package io.fedmllm.strategy;

/**
 * One round of aggregation in progress. It keeps running sums only, so its memory is a small multiple of the adapter
 * size whatever the number of clients; an added update is not retained.
 *
 * <p>Contract: updates are added in strictly ascending {@link ClientUpdate#clientId()} order (String order). Floating
 * point sums depend on order; fixing the order makes the result independent of the order in which updates arrived,
 * so a restarted server reproduces an uninterrupted run bit for bit. An out-of-order or repeated id is a programming
 * error and throws {@link IllegalArgumentException}.
 */
public interface Aggregation {

  /**
   * Validates the update and folds it into the running sums.
   *
   * @throws UpdateRejectedException if the update fails validation; the sums are then unchanged
   * @throws IllegalArgumentException if the client id is not greater than the previous one
   * @throws IllegalStateException after {@link #finish()}
   */
  void add(ClientUpdate update);

  /** Number of updates accepted so far. */
  int updateCount();

  /**
   * Computes the new global adapter and server state.
   *
   * @throws IllegalStateException if no update was accepted, or when called twice
   */
  RoundResult finish();
}
