package io.fedmllm.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The model's tokenizer: a Hugging Face {@code tokenizer.json} loaded from a local file (the built-in models ship
 * theirs as a resource), never fetched from a hub. Special tokens: {@code <pad> <s> </s> <unk>}.
 */
public final class TextTokenizer implements AutoCloseable {
  public static final String BUILT_IN = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final long pad;
  private final long bos;
  private final long eos;
  private final String sha256;

  private TextTokenizer(byte[] json, String source) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    int maxId = -1;
    Iterator<Map.Entry<String, JsonNode>> vocab = root.path("model").path("vocab").fields();
    while (vocab.hasNext()) {
      maxId = Math.max(maxId, vocab.next().getValue().asInt());
    }
    for (JsonNode added : root.path("added_tokens")) {
      maxId = Math.max(maxId, added.path("id").asInt());
    }
    if (maxId < 0) {
      throw new IOException(source + ": no model.vocab in tokenizer file");
    }
    vocabSize = maxId + 1;
    pad = specialId(root, "<pad>", source);
    bos = specialId(root, "<s>", source);
    eos = specialId(root, "</s>", source);
    tokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(json),
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    sha256 = sha256(json);
  }

  private static long specialId(JsonNode root, String token, String source) throws IOException {
    JsonNode id = root.path("model").path("vocab").get(token);
    if (id == null) {
      throw new IOException(source + ": tokenizer lacks special token " + token);
    }
    return id.asLong();
  }

  /** The tokenizer shipped with the built-in model presets. */
  public static TextTokenizer builtIn() {
    try (InputStream in = TextTokenizer.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("built-in tokenizer.json missing from the classpath");
      }
      return new TextTokenizer(in.readAllBytes(), "built-in tokenizer.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TextTokenizer load(Path file) throws IOException {
    return new TextTokenizer(Files.readAllBytes(file), file.toString());
  }

  public long[] encode(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    return tokenizer.encode(text, false, false).getIds();
  }

  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  public int vocabSize() {
    return vocabSize;
  }

  public long pad() {
    return pad;
  }

  public long bos() {
    return bos;
  }

  public long eos() {
    return eos;
  }

  /** Identifies the exact vocabulary, e.g. in cache keys of a base trained with it. */
  public String sha256() {
    return sha256;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
