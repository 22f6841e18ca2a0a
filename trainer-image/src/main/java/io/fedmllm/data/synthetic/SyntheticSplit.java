package io.fedmllm.data.synthetic;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three disjoint, separately seeded parts of a synthetic dataset. */
public enum SyntheticSplit {
  /**
   * Central pre-training data: captions, questions about pictures, copies of and questions about texts, from all
   * three domains. Not the downstream labels; it teaches the concepts the tasks are built from.
   */
  PUBLIC("public"),
  /** Labelled task samples, to be partitioned among clients. */
  POOL("pool"),
  /** Held-out labelled task samples for evaluation. */
  TEST("test");

  private final String cliName;

  SyntheticSplit(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** By name: public, pool (alias train) or test. */
  public static SyntheticSplit fromName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("train")) {
      return POOL;
    }
    return Arrays.stream(values())
        .filter(split -> split.cliName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown synthetic split '" + name + "', expected one of "
                        + Arrays.stream(values()).map(SyntheticSplit::cliName).collect(Collectors.joining(", "))
                        + " (train is an alias of pool)"));
  }
}
