package io.fedmllm.protocol;

import java.util.List;

/**
 * Who belongs to a federation now: the pool the aggregator samples each round from. Asked before every plan and
 * during every wait, so a client that joins is in the pool from the next round and one that leaves is dropped from
 * the round it was sampled for instead of being waited for. The operator's rendered manifest (re-read by the
 * aggregator pod) is one source; {@code fedmllm local} and the tests have a fixed list.
 */
@FunctionalInterface
public interface Membership {

  /** The current members' client ids, ascending and unique. */
  List<String> members();

  /** A federation whose members never change. */
  static Membership fixed(List<String> clients) {
    List<String> sorted = clients.stream().sorted().distinct().toList();
    return () -> sorted;
  }
}
