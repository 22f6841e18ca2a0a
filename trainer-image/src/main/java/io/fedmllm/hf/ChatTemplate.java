package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A checkpoint's chat template rendered as transformers renders it: Jinja with {@code trim_blocks} and
 * {@code lstrip_blocks}, the variables {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token} and {@code raise_exception}. The template comes from the first of {@code chat_template.jinja},
 * {@code chat_template.json} ({@code chat_template}), {@code tokenizer_config.json} ({@code chat_template}, a
 * string or the {@code default} entry of a named list).
 */
public final class ChatTemplate {

  public static final String JINJA_FILE = "chat_template.jinja";
  public static final String JSON_FILE = "chat_template.json";
  public static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
  /** Spaces and tabs from the start of a line up to a block or comment tag, unless the tag opens with "+". */
  private static final Pattern LINE_START_BLANKS_BEFORE_TAG = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");

  private final String template;
  private final String source;
  private final Map<String, Object> specialTokens;
  private final Jinjava jinja;

  private ChatTemplate(String template, String source, Map<String, Object> specialTokens) {
    this.template = lstripBlocks(template);
    this.source = source;
    this.specialTokens = specialTokens;
    // lstrip_blocks is applied to the source: Jinjava's option also strips blanks after text on the same line
    // ("USER: {% else %}" loses its space), which Python's Jinja keeps.
    this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(false).build());
    jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
        TemplateFunctions.class, "raiseException", String.class));
  }

  public static ChatTemplate read(Path dir) throws CheckpointException {
    Map<String, Object> specials = new HashMap<>();
    Path tokenizerConfig = dir.resolve(TOKENIZER_CONFIG_FILE);
    JsonNode tokenizer =
        Files.isRegularFile(tokenizerConfig) ? CheckpointJson.readObject(tokenizerConfig) : null;
    if (tokenizer != null) {
      for (String key : List.of("bos_token", "eos_token", "pad_token", "unk_token")) {
        JsonNode v = tokenizer.get(key);
        String token = v == null ? null : v.isTextual() ? v.textValue() : v.path("content").asText(null);
        if (token != null) {
          specials.put(key, token);
        }
      }
    }
    Path jinjaFile = dir.resolve(JINJA_FILE);
    if (Files.isRegularFile(jinjaFile)) {
      try {
        return new ChatTemplate(Files.readString(jinjaFile), jinjaFile.toString(), specials);
      } catch (IOException e) {
        throw new CheckpointException(jinjaFile + ": not readable: " + e.getMessage(), e);
      }
    }
    Path jsonFile = dir.resolve(JSON_FILE);
    if (Files.isRegularFile(jsonFile)) {
      return new ChatTemplate(templateOf(CheckpointJson.readObject(jsonFile), jsonFile), jsonFile.toString(),
          specials);
    }
    if (tokenizer != null && tokenizer.has("chat_template")) {
      return new ChatTemplate(templateOf(tokenizer, tokenizerConfig), tokenizerConfig + " chat_template", specials);
    }
    throw new CheckpointException(dir + ": no chat template: neither " + JINJA_FILE + ", " + JSON_FILE + " nor "
        + TOKENIZER_CONFIG_FILE + " with chat_template");
  }

  private static String templateOf(JsonNode root, Path file) throws CheckpointException {
    JsonNode t = root.get("chat_template");
    if (t != null && t.isTextual()) {
      return t.textValue();
    }
    if (t != null && t.isArray()) {
      for (JsonNode named : t) {
        if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
          return named.path("template").textValue();
        }
      }
      throw new CheckpointException(file + ": chat_template lists no template named \"default\"");
    }
    throw new CheckpointException(file + ": chat_template " + (t == null ? "missing" : "is " + t.getNodeType()
        + ", expected a string"));
  }

  /** Jinja's lstrip_blocks on the template source; "{%+" keeps the blanks and becomes "{%". */
  static String lstripBlocks(String template) {
    return LINE_START_BLANKS_BEFORE_TAG.matcher(template).replaceAll("").replace("{%+", "{%").replace("{#+", "{#");
  }

  /** Where the template was read from: a file, or tokenizer_config.json's key. */
  public String source() {
    return source;
  }

  /**
   * One user turn, optionally the image first and then the text (absent when {@code text} is empty), followed by the
   * generation prompt.
   */
  public String renderUserTurn(boolean withImage, String text) throws CheckpointException {
    return render(List.of(userMessage(withImage, text)), true);
  }

  /**
   * What the template puts after {@link #renderUserTurn}'s generation prompt when the assistant answers {@code
   * answer}: the rendered user turn plus assistant turn, minus the rendered prompt (e.g. {@code " (B) hateful
   * <end_of_utterance>\n"}). This is the completion a model is trained on and scored by.
   */
  public String renderAnswer(boolean withImage, String text, String answer) throws CheckpointException {
    String prompt = renderUserTurn(withImage, text);
    Map<String, Object> reply = Map.of("role", "assistant", "content",
        List.of(Map.of("type", "text", "text", answer)));
    String full = render(List.of(userMessage(withImage, text), reply), false);
    if (!full.startsWith(prompt)) {
      throw new CheckpointException(source + ": the chat template renders a conversation with an assistant answer"
          + " that does not start with its generation prompt, so the answer cannot be scored after the prompt");
    }
    return full.substring(prompt.length());
  }

  private static Map<String, Object> userMessage(boolean withImage, String text) {
    List<Map<String, Object>> content = new java.util.ArrayList<>();
    if (withImage) {
      content.add(Map.of("type", "image"));
    }
    if (!text.isEmpty()) {
      content.add(Map.of("type", "text", "text", text));
    }
    if (content.isEmpty()) {
      throw new IllegalArgumentException("a user turn needs an image or text");
    }
    return Map.of("role", "user", "content", content);
  }

  public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) throws CheckpointException {
    Map<String, Object> context = new HashMap<>(specialTokens);
    context.put("messages", messages);
    context.put("add_generation_prompt", addGenerationPrompt);
    RenderResult result;
    try {
      result = jinja.renderForResult(template, context);
    } catch (RuntimeException e) {
      throw new CheckpointException(source + ": chat template does not render: " + oneLine(e.getMessage()), e);
    }
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new CheckpointException(source + ": chat template does not render"
            + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : "") + ": " + oneLine(reason(error)));
      }
    }
    return result.getOutput();
  }

  private static String reason(TemplateError error) {
    for (Throwable t = error.getException(); t != null; t = t.getCause()) {
      if (t instanceof TemplateFunctions.TemplateRaised) {
        return t.getMessage();
      }
    }
    return error.getMessage();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
