package io.fedmllm.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON header of a safetensors file: its tensor entries in data order and the {@code __metadata__} strings.
 *
 * <p>{@link #parse} is strict in the way the reference implementation is: F32 only (or the element types the caller
 * accepts, for checkpoints), data ranges contiguous from 0
 * and exactly covering the data section, sizes matching shapes, no duplicate keys, metadata values strings.
 * {@link #encode} reproduces the reference writer's bytes: compact JSON with {@code __metadata__} first, then the
 * tensors in data order, padded with spaces so that the data starts 8-byte aligned.
 */
public record SafetensorsHeader(List<SafetensorsEntry> entries, SortedMap<String, String> metadata) {

  /** Upper bound on the JSON header size, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public SafetensorsHeader {
    entries = List.copyOf(entries);
    metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
  }

  /** Header for writing {@code tensors} in name order, contiguous from offset 0. */
  public static SafetensorsHeader layout(TensorMap tensors, Map<String, String> metadata) {
    return layout(tensors, metadata, SafetensorsDtype.F32);
  }

  /** Header for writing {@code tensors} as {@code dtype} (F32 or F16) in name order, contiguous from offset 0. */
  public static SafetensorsHeader layout(TensorMap tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
    List<SafetensorsEntry> entries = new ArrayList<>(tensors.size());
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors) {
      long end = offset + (long) e.getValue().size() * dtype.byteSize();
      entries.add(new SafetensorsEntry(e.getKey(), dtype, e.getValue().shape(), offset, end));
      offset = end;
    }
    return new SafetensorsHeader(entries, new TreeMap<>(metadata));
  }

  /** Total size of the data section in bytes. */
  public long dataLength() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
  }

  /** Entries keyed by name. */
  public Map<String, SafetensorsEntry> byName() {
    Map<String, SafetensorsEntry> m = new LinkedHashMap<>();
    entries.forEach(e -> m.put(e.name(), e));
    return m;
  }

  /** The padded JSON header bytes (without the 8-byte length prefix). */
  public byte[] encode() {
    StringBuilder json = new StringBuilder(64 + entries.size() * 128);
    json.append('{');
    boolean first = true;
    if (!metadata.isEmpty()) {
      appendString(json, METADATA_KEY).append(":{");
      boolean firstMeta = true;
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        if (!firstMeta) {
          json.append(',');
        }
        appendString(json, m.getKey()).append(':');
        appendString(json, m.getValue());
        firstMeta = false;
      }
      json.append('}');
      first = false;
    }
    for (SafetensorsEntry e : entries) {
      if (!first) {
        json.append(',');
      }
      first = false;
      appendString(json, e.name()).append(":{\"dtype\":\"").append(e.dtype().name()).append("\",\"shape\":[");
      long[] shape = e.shape();
      for (int i = 0; i < shape.length; i++) {
        json.append(i == 0 ? "" : ",").append(shape[i]);
      }
      json.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
    }
    json.append('}');
    byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (raw.length + 7) / 8 * 8;
    byte[] out = java.util.Arrays.copyOf(raw, padded);
    java.util.Arrays.fill(out, raw.length, padded, (byte) ' ');
    return out;
  }

  /**
   * Parses and validates a header.
   *
   * @param json the header bytes (as stored, padding included)
   * @param dataLength the number of bytes after the header in the file or buffer
   * @param source names the file or buffer in error messages
   */
  public static SafetensorsHeader parse(byte[] json, long dataLength, String source)
      throws SafetensorsFormatException {
    return parse(json, dataLength, source, SafetensorsDtype.F32_ONLY);
  }

  /** As {@link #parse(byte[], long, String)}, accepting the element types in {@code accepted}. */
  public static SafetensorsHeader parse(byte[] json, long dataLength, String source,
      java.util.Set<SafetensorsDtype> accepted) throws SafetensorsFormatException {
    if (json.length == 0 || json[0] != '{') {
      throw new SafetensorsFormatException(source, null, "header does not start with '{'");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SafetensorsFormatException(source, null, "header is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new SafetensorsFormatException(source, null, "header unreadable: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsFormatException(source, null, "header is not a JSON object");
    }
    TreeMap<String, String> metadata = new TreeMap<>();
    List<SafetensorsEntry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        parseMetadata(field.getValue(), metadata, source);
      } else {
        entries.add(parseEntry(field.getKey(), field.getValue(), source, accepted));
      }
    }
    entries.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
    long expectedBegin = 0;
    for (SafetensorsEntry e : entries) {
      if (e.begin() != expectedBegin) {
        throw new SafetensorsFormatException(source, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
            + "] do not start where the previous tensor ends (" + expectedBegin + "): gap or overlap");
      }
      expectedBegin = e.end();
    }
    if (expectedBegin != dataLength) {
      throw new SafetensorsFormatException(source, null, "tensors cover " + expectedBegin
          + " data bytes but the data section has " + dataLength + " bytes");
    }
    return new SafetensorsHeader(entries, metadata);
  }

  private static void parseMetadata(JsonNode node, Map<String, String> metadata, String source)
      throws SafetensorsFormatException {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(source, null, "__metadata__ is not an object");
    }
    for (Map.Entry<String, JsonNode> m : node.properties()) {
      if (!m.getValue().isTextual()) {
        throw new SafetensorsFormatException(source, null,
            "__metadata__ value for '" + m.getKey() + "' is not a string");
      }
      metadata.put(m.getKey(), m.getValue().textValue());
    }
  }

  private static SafetensorsEntry parseEntry(String name, JsonNode node, String source,
      java.util.Set<SafetensorsDtype> accepted) throws SafetensorsFormatException {
    if (name.isEmpty()) {
      throw new SafetensorsFormatException(source, name, "empty tensor name");
    }
    if (!node.isObject()) {
      throw new SafetensorsFormatException(source, name, "entry is not an object");
    }
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw new SafetensorsFormatException(source, name, "unknown field '" + key + "'");
      }
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw new SafetensorsFormatException(source, name, "missing dtype");
    }
    SafetensorsDtype type = SafetensorsDtype.parse(dtype.textValue())
        .filter(accepted::contains)
        .orElseThrow(() -> new SafetensorsFormatException(source, name,
            "unsupported dtype " + dtype.textValue() + " (supported: " + accepted + ")"));
    long[] shape = longArray(node.get("shape"), "shape", -1, source, name);
    long[] offsets = longArray(node.get("data_offsets"), "data_offsets", 2, source, name);
    long elements = 1;
    for (long d : shape) {
      elements = Math.multiplyExact(elements, d);
    }
    if (offsets[1] < offsets[0]) {
      throw new SafetensorsFormatException(source, name,
          "data_offsets end " + offsets[1] + " before begin " + offsets[0]);
    }
    long needed = Math.multiplyExact(elements, (long) type.byteSize());
    if (offsets[1] - offsets[0] != needed) {
      throw new SafetensorsFormatException(source, name, "data_offsets span " + (offsets[1] - offsets[0])
          + " bytes but " + type + " shape " + java.util.Arrays.toString(shape) + " needs " + needed);
    }
    if (elements > Integer.MAX_VALUE - 8) {
      throw new SafetensorsFormatException(source, name, "tensor too large for a Java array");
    }
    return new SafetensorsEntry(name, type, shape, offsets[0], offsets[1]);
  }

  private static long[] longArray(JsonNode node, String field, int length, String source, String name)
      throws SafetensorsFormatException {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new SafetensorsFormatException(source, name,
          field + " must be an array" + (length >= 0 ? " of " + length + " integers" : " of integers"));
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new SafetensorsFormatException(source, name, field + " holds " + v + ", not a non-negative integer");
      }
      values[i] = v.longValue();
    }
    return values;
  }

  /** Appends a JSON string literal escaped the way serde_json (the reference writer) escapes it. */
  private static StringBuilder appendString(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
