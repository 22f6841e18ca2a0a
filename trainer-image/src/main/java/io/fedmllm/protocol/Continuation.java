package io.fedmllm.protocol;

import java.util.Objects;

/**
 * Generation {@code generation} of a federation ({@code continuations/GGGGG/continuation.json}, If-None-Match): the
 * federation continued after generation {@code generation - 1} COMPLETED, with more rounds. Committed rounds are
 * immutable; rounds {@code fromRound} .. {@code federation.rounds() - 1} run under {@code federation}, whose
 * learning-rate schedule spans the raised total (see PROTOCOL.md).
 *
 * @param fromRound the rounds committed when the continuation began: the previous generation's total
 * @param federation the configuration from now on: the previous one with {@code rounds} raised (and possibly
 *     {@code roundDeadlineMillis}, {@code minClients} changed)
 * @param reason one line, e.g. {@code rounds raised from 2 to 4}
 */
public record Continuation(int generation, int fromRound, FederationConfig federation, String reason) {

  public Continuation {
    Objects.requireNonNull(federation, "federation");
    if (generation < 1 || fromRound < 1 || fromRound >= federation.rounds()) {
      throw new IllegalArgumentException("continuation " + generation + ": needs generation >= 1 and "
          + "1 <= fromRound < rounds, got fromRound " + fromRound + " of " + federation.rounds());
    }
  }
}
