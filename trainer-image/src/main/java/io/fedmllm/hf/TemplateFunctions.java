package io.fedmllm.hf;

/** Functions transformers makes available to chat templates, registered into the Jinja engine. */
public final class TemplateFunctions {

  private TemplateFunctions() {}

  /** {@code raise_exception(message)}: the template refuses the conversation. */
  public static String raiseException(String message) {
    throw new TemplateRaised("raise_exception(" + message + ")");
  }

  /** What {@code raise_exception} throws, so the renderer can report the template's own message. */
  static final class TemplateRaised extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateRaised(String message) {
      super(message);
    }
  }
}
