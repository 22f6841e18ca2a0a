package io.fedmllm.hf.init;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedmllm.hf.ModelFamily;
import io.fedmllm.model.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's built-in byte-level BPE tokenizer ({@code <pad> <s> </s> <unk>} at ids 0-3) with a family's special
 * tokens appended after its vocabulary, as special added tokens that are also vocabulary entries (as tokenizers
 * trained with special tokens store them): LLaVA's {@code <image>}; SmolVLM's {@code <image>},
 * {@code <fake_token_around_image>}, {@code <global-img>}, {@code <end_of_utterance>}, {@code <|im_start|>} and the
 * tile tags {@code <row_R_col_C>} for up to 6 x 6 tiles.
 */
final class FamilyTokenizer {

  static final String IMAGE = "<image>";
  static final int MAX_TILES_PER_SIDE = 6;

  private final ObjectNode json;
  private final Map<String, Integer> specialIds;
  private final int vocabSize;

  private FamilyTokenizer(ObjectNode json, Map<String, Integer> specialIds, int vocabSize) {
    this.json = json;
    this.specialIds = specialIds;
    this.vocabSize = vocabSize;
  }

  static List<String> specialTokens(ModelFamily family) {
    List<String> tokens = new ArrayList<>(List.of(IMAGE));
    if (family == ModelFamily.SMOLVLM) {
      tokens.addAll(List.of("<fake_token_around_image>", "<global-img>", "<end_of_utterance>", "<|im_start|>"));
      for (int r = 1; r <= MAX_TILES_PER_SIDE; r++) {
        for (int c = 1; c <= MAX_TILES_PER_SIDE; c++) {
          tokens.add("<row_" + r + "_col_" + c + ">");
        }
      }
    }
    return tokens;
  }

  static FamilyTokenizer of(ModelFamily family) {
    ObjectNode json;
    try (InputStream in = TextTokenizer.class.getResourceAsStream(TextTokenizer.BUILT_IN)) {
      json = (ObjectNode) JsonFiles.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in tokenizer.json unreadable", e);
    }
    ObjectNode vocab = (ObjectNode) json.path("model").path("vocab");
    int next = 0;
    for (Iterator<JsonNode> ids = vocab.elements(); ids.hasNext(); ) {
      next = Math.max(next, ids.next().asInt() + 1);
    }
    ArrayNode added = (ArrayNode) json.path("added_tokens");
    for (JsonNode token : added) {
      next = Math.max(next, token.path("id").asInt() + 1);
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (String token : specialTokens(family)) {
      ObjectNode entry = added.addObject();
      entry.put("id", next);
      entry.put("content", token);
      entry.put("single_word", false);
      entry.put("lstrip", false);
      entry.put("rstrip", false);
      entry.put("normalized", false);
      entry.put("special", true);
      vocab.put(token, next);
      ids.put(token, next);
      next++;
    }
    return new FamilyTokenizer(json, ids, next);
  }

  int id(String token) {
    Integer id = specialIds.get(token);
    if (id == null) {
      throw new IllegalArgumentException("no special token " + token);
    }
    return id;
  }

  int vocabSize() {
    return vocabSize;
  }

  byte[] bytes() {
    return JsonFiles.bytes(json);
  }
}
