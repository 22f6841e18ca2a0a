package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style duration strings of the API ({@code 10m}, {@code 90s}, {@code 1h30m}, {@code 500ms}). */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile(ApiPatterns.DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /** Whether {@code text} matches {@link ApiPatterns#DURATION}. */
  public static boolean isWellFormed(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /**
   * The duration {@code text} stands for.
   *
   * @throws IllegalArgumentException when it does not match {@link ApiPatterns#DURATION} or overflows
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
      throw new IllegalArgumentException("duration '" + text + "' is too long", e);
    }
    return total;
  }
}
