package io.fedmllm.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A dataset file that cannot be turned into samples: malformed record, missing or invalid field, unknown label,
 * missing image file, wrong header. The message always names the file, and the line and field when known, so that
 * a bad dataset fails before training starts with a message the user can act on.
 */
public final class DatasetFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String field;

  /**
   * @param file the dataset file being read
   * @param line 1-based line number of the offending record, or 0 when the problem is not tied to a line
   * @param field the offending field (column, JSON key), or null when the whole record is at fault
   * @param problem what is wrong, in plain words
   */
  public DatasetFormatException(Path file, int line, String field, String problem) {
    this(file, line, field, problem, null);
  }

  public DatasetFormatException(Path file, int line, String field, String problem, Throwable cause) {
    super(format(file, line, field, problem), cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String format(Path file, int line, String field, String problem) {
    StringBuilder message = new StringBuilder().append(file);
    if (line > 0) {
      message.append(':').append(line);
    }
    message.append(": ");
    if (field != null) {
      message.append("field '").append(field).append("': ");
    }
    return message.append(problem).toString();
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when unknown. */
  public int line() {
    return line;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
