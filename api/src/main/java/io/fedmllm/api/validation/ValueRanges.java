package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pattern cannot say about a string that matches it: that its numbers are in range. A duration must not be
 * longer than {@link Durations#MAX}; a synthetic generator's {@code seed}, {@code size} and {@code count} must be in
 * the ranges the generator accepts. The schema on a cluster checks only the pattern; this runs in the validator
 * both {@code fedmllm local} and the operator use.
 */
final class ValueRanges {

  /** A generator parameter's accepted range. */
  private record Range(long min, long max) {}

  private static final Pattern PARAMETER = Pattern.compile(",(seed|size|count)=([0-9]+)");

  private ValueRanges() {}

  /** The problem with {@code text}, which already matches {@code pattern}, or empty. */
  static Optional<String> problem(String pattern, String text) {
    if (pattern.equals(ApiPatterns.DURATION)) {
      try {
        Durations.parse(text);
        return Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.of(e.getMessage());
      }
    }
    if (pattern.equals(ApiPatterns.SYNTHETIC_GENERATOR)) {
      Matcher parameter = PARAMETER.matcher(text);
      while (parameter.find()) {
        Range range = switch (parameter.group(1)) {
          case "seed" -> new Range(0, Long.MAX_VALUE);
          case "size" -> new Range(8, 1024);
          default -> new Range(0, 1_000_000);
        };
        BigInteger value = new BigInteger(parameter.group(2));
        if (value.compareTo(BigInteger.valueOf(range.min())) < 0
            || value.compareTo(BigInteger.valueOf(range.max())) > 0) {
          return Optional.of(parameter.group(1) + "=" + parameter.group(2) + " is out of range, expected "
              + range.min() + " to " + range.max());
        }
      }
    }
    return Optional.empty();
  }
}
