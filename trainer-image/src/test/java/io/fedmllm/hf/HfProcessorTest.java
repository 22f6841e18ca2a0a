package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chat template (Jinjava, trim/lstrip blocks), image-token expansion and tokenizer against the prompts and token ids
 * transformers' processors produced for one user turn with the generation prompt.
 */
class HfProcessorTest {

  /** generate.py's PROMPT. */
  static final String PROMPT = "What is shown in the picture? Answer briefly.";

  static List<String> variants() {
    return Goldens.VARIANTS;
  }

  @ParameterizedTest
  @MethodSource("variants")
  void templateRendersTransformersPrompts(String variant) throws IOException {
    ChatTemplate template = ChatTemplate.read(Goldens.checkpoint(variant));
    JsonNode meta = Goldens.meta(variant);
    assertEquals(meta.get("text_prompt").asText(), template.renderUserTurn(false, PROMPT));
    assertEquals(meta.get("mm_prompt").asText(), template.renderUserTurn(true, PROMPT));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void inputIdsEqualTransformers(String variant) throws IOException {
    TensorMap goldens = Goldens.tensors(variant);
    JsonNode meta = Goldens.meta(variant);
    try (HfProcessor processor = HfProcessor.read(Goldens.checkpoint(variant))) {
      RgbImage image = RgbImage.read(Goldens.root().resolve(variant).resolve("image.png"));
      HfProcessor.Inputs mm = processor.userTurn(image, PROMPT);
      assertArrayEquals(ids(goldens.get("mm.input_ids")), mm.inputIds(), variant + " mm.input_ids");
      HfProcessor.Inputs text = processor.textTurn(PROMPT);
      assertArrayEquals(ids(goldens.get("text.input_ids")), text.inputIds(), variant + " text.input_ids");
      long imageTokens = java.util.Arrays.stream(mm.inputIds()).filter(i -> i == meta.get("image_token_id").asLong())
          .count();
      System.out.printf("%s: %d prompt tokens, %d image tokens, %d tiles%n", variant, mm.inputIds().length,
          imageTokens, mm.image().tiles());
    }
  }

  @ParameterizedTest
  @MethodSource("io.fedmllm.hf.ProcessorCases#all")
  void otherShapesGiveTransformersInputIds(String variant, String picture) throws IOException {
    try (HfProcessor processor = HfProcessor.read(Goldens.checkpoint(variant))) {
      HfProcessor.Inputs mm = processor.userTurn(ProcessorCases.image(picture), PROMPT);
      assertArrayEquals(ids(ProcessorCases.tensors(variant).get(picture + ".input_ids")), mm.inputIds(),
          variant + " " + picture + " input_ids");
    }
  }

  @Test
  void templateFromTokenizerConfigWhenNoJinjaFile(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("ckpt"));
    String jinja = Files.readString(dir.resolve(ChatTemplate.JINJA_FILE));
    Files.delete(dir.resolve(ChatTemplate.JINJA_FILE));
    var config = (com.fasterxml.jackson.databind.node.ObjectNode)
        Goldens.JSON.readTree(dir.resolve(ChatTemplate.TOKENIZER_CONFIG_FILE).toFile());
    config.put("chat_template", jinja);
    Goldens.JSON.writeValue(dir.resolve(ChatTemplate.TOKENIZER_CONFIG_FILE).toFile(), config);
    ChatTemplate template = ChatTemplate.read(dir);
    assertTrue(template.source().endsWith("tokenizer_config.json chat_template"), template.source());
    JsonNode meta = Goldens.meta("smolvlm");
    assertEquals(meta.get("mm_prompt").asText(), template.renderUserTurn(true, PROMPT));
  }

  /** The expected output is what Python's jinja2 3.1.6 renders with trim_blocks=True, lstrip_blocks=True. */
  @Test
  void whitespaceControlMatchesPythonJinja(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Files.writeString(dir.resolve(ChatTemplate.JINJA_FILE), "A: {% if add_generation_prompt %}yes{% endif %}\n"
        + "  {% for m in messages %}\n    {{ m['role'] }}: {{ m['content'] }} {# c #}\n  {% endfor %}\n"
        + "\t{%+ if add_generation_prompt %}kept{% endif %}\nend");
    String rendered = ChatTemplate.read(dir).render(List.of(Map.of("role", "user", "content", "hi"),
        Map.of("role", "assistant", "content", "ok")), true);
    assertEquals("A: yes    user: hi     assistant: ok \tkeptend", rendered);
  }

  @Test
  void unrenderableTemplateIsOneLineNamingTheFile(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("ckpt"));
    Path file = dir.resolve(ChatTemplate.JINJA_FILE);
    Files.writeString(file, "{% for message in messages %}{{ message['role'] }");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ChatTemplate.read(dir).renderUserTurn(true, "hi"));
    assertTrue(e.getMessage().startsWith(file + ": chat template does not render"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void raiseExceptionInTemplateFails(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("ckpt"));
    Path file = dir.resolve(ChatTemplate.JINJA_FILE);
    Files.writeString(file, "{% if messages[0]['role'] == 'user' %}{{ raise_exception('no users here') }}{% endif %}");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ChatTemplate.read(dir).renderUserTurn(false, "hi"));
    assertTrue(e.getMessage().startsWith(file + ": chat template does not render"), e.getMessage());
    assertTrue(e.getMessage().contains("no users here"), e.getMessage());
  }

  @Test
  void missingTemplateNamesTheFiles(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("ckpt"));
    Files.delete(dir.resolve(ChatTemplate.JINJA_FILE));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ChatTemplate.read(dir));
    assertTrue(e.getMessage().contains("chat_template.jinja") && e.getMessage().contains("tokenizer_config.json"),
        e.getMessage());
  }

  private static long[] ids(Tensor t) {
    long[] out = new long[t.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) t.data()[i];
    }
    return out;
  }
}
