package io.fedmllm.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The dataset layouts {@link DatasetLoader} understands, by their command-line names. */
public enum DatasetFormat {
  /** Facebook Hateful-Memes JSON lines ({@code <split>.jsonl} next to {@code img/}). */
  HATEFUL_MEMES("hateful-memes"),
  /** CrisisMMD v2.0 humanitarian task TSV files next to {@code data_image/}. */
  CRISISMMD("crisismmd"),
  /** LLaVA-style conversation JSON. */
  LLAVA("llava"),
  /** The project's own plain JSON lines. */
  JSONL("jsonl"),
  /** The built-in seeded generator; the "path" is a generator spec, e.g. {@code crisis,seed=7,count=500}. */
  SYNTHETIC("synthetic");

  private final String cliName;

  DatasetFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in configuration. */
  public String cliName() {
    return cliName;
  }

  /** Looks a format up by its command-line name (case-insensitive). */
  public static DatasetFormat fromName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(format -> format.cliName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown dataset format '" + name + "', expected one of "
                        + Arrays.stream(values()).map(DatasetFormat::cliName).collect(Collectors.joining(", "))));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
