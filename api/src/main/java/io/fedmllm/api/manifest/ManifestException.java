package io.fedmllm.api.manifest;

/**
 * A manifest that cannot be used. The message is one line: {@code <file>:<line>: document <n> (<Kind> <name>):
 * <field path>: <problem>}, with the parts that are unknown left out.
 */
public class ManifestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String path;

  ManifestException(String source, int line, String message, String path, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.line = line;
    this.path = path;
  }

  /** The file, as given to the reader. */
  public String source() {
    return source;
  }

  /** 1-based line of the problem, 0 when it concerns the whole file. */
  public int line() {
    return line;
  }

  /** Field path of the problem (e.g. {@code spec.training.localSteps}), empty when it concerns a whole document. */
  public String path() {
    return path;
  }
}
