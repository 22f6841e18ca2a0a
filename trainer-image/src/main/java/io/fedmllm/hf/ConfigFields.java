package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads from one JSON object of a config file, with the defaults transformers' config classes apply; every
 * error names the file and the dotted key path.
 */
final class ConfigFields {

  private final JsonNode node;
  private final String file;
  private final String path;

  ConfigFields(JsonNode node, String file, String path) {
    this.node = node;
    this.file = file;
    this.path = path;
  }

  String file() {
    return file;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  ConfigFields object(String name) throws CheckpointException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw error(name, "missing");
    }
    if (!v.isObject()) {
      throw error(name, "is " + v.getNodeType() + ", expected an object");
    }
    return new ConfigFields(v, file, key(name));
  }

  String string(String name) throws CheckpointException {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw error(name, v == null ? "missing" : "is " + v + ", expected a string");
    }
    return v.textValue();
  }

  String string(String name, String fallback) throws CheckpointException {
    return has(name) ? string(name) : fallback;
  }

  int positiveInt(String name, int fallback) throws CheckpointException {
    int v = integer(name, fallback);
    if (v <= 0) {
      throw error(name, "is " + v + ", expected a positive integer");
    }
    return v;
  }

  int integer(String name, int fallback) throws CheckpointException {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(name, "is " + v + ", expected an integer");
    }
    return v.intValue();
  }

  double positiveNumber(String name, double fallback) throws CheckpointException {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
      throw error(name, "is " + v + ", expected a positive number");
    }
    return v.doubleValue();
  }

  boolean bool(String name, boolean fallback) throws CheckpointException {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw error(name, "is " + v + ", expected true or false");
    }
    return v.booleanValue();
  }

  /** A list of strings; absent means empty. */
  List<String> strings(String name) throws CheckpointException {
    List<String> out = new ArrayList<>();
    if (!has(name)) {
      return out;
    }
    JsonNode v = node.get(name);
    if (!v.isArray()) {
      throw error(name, "is " + v + ", expected a list of strings");
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw error(name, "holds " + e + ", expected strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  /** An integer or a list of integers; absent means {@code fallback}. */
  List<Integer> integers(String name, int fallback) throws CheckpointException {
    List<Integer> out = new ArrayList<>();
    if (!has(name)) {
      out.add(fallback);
      return out;
    }
    JsonNode v = node.get(name);
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      out.add(v.intValue());
      return out;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw error(name, "is " + v + ", expected an integer or a non-empty list of integers");
    }
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw error(name, "holds " + e + ", expected integers");
      }
      out.add(e.intValue());
    }
    return out;
  }

  /** A list of numbers; absent means the fallback. */
  List<Double> numbers(String name, List<Double> fallback) throws CheckpointException {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isArray() || v.isEmpty()) {
      throw error(name, "is " + v + ", expected a non-empty list of numbers");
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isNumber()) {
        throw error(name, "holds " + e + ", expected numbers");
      }
      out.add(e.doubleValue());
    }
    return out;
  }

  CheckpointException error(String name, String problem) {
    return new CheckpointException(file + ": " + key(name) + " " + problem);
  }
}
