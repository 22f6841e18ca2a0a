package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style duration strings of the API ({@code 10m}, {@code 90s}, {@code 1h30m}, {@code 500ms}). */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile(ApiPatterns.DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");
  private static final Pattern ZERO = Pattern.compile("^(0+(ms|s|m|h))+$");

  /** The longest duration accepted: a year, far beyond any round, and far from overflowing epoch milliseconds. */
  public static final Duration MAX = Duration.ofHours(8760);

  private Durations() {}

  /** Whether {@code text} matches {@link ApiPatterns#DURATION}. */
  public static boolean isWellFormed(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /** Whether a well-formed {@code text} stands for zero (every part is 0), without parsing its numbers. */
  public static boolean isZero(String text) {
    return ZERO.matcher(text).matches();
  }

  /**
   * The duration {@code text} stands for.
   *
   * @throws IllegalArgumentException when it does not match {@link ApiPatterns#DURATION} or is longer than
   *     {@link #MAX}
   */
  public static Duration parse(String text) {
    if (!isWellFormed(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 10m, 90s or 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(switch (part.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw tooLong(text, e);
    }
    if (total.compareTo(MAX) > 0) {
      throw tooLong(text, null);
    }
    return total;
  }

  private static IllegalArgumentException tooLong(String text, Exception cause) {
    return new IllegalArgumentException("duration '" + text + "' is longer than " + MAX.toHours() + "h (a year)",
        cause);
  }
}
