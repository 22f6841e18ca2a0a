package io.fedmllm.data.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedmllm.data.DatasetFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed access to the fields of one JSON record, failing with file, line and field on a wrong shape. */
final class JsonFields {

  private final JsonNode node;
  private final RecordLocation location;

  JsonFields(JsonNode node, RecordLocation location) throws DatasetFormatException {
    if (!node.isObject()) {
      throw location.fail(null, "expected a JSON object, found " + node.getNodeType().name().toLowerCase());
    }
    this.node = node;
    this.location = location;
  }

  RecordLocation location() {
    return location;
  }

  /** A string or number field that must be present (ids are numbers in some official files). */
  String requiredId(String field) throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw location.fail(field, "missing");
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw location.fail(field, "expected a string or an integer");
    }
    String id = value.asText();
    if (id.isBlank()) {
      throw location.fail(field, "must not be empty");
    }
    return id;
  }

  String requiredText(String field) throws DatasetFormatException {
    return optionalText(field).orElseThrow(() -> location.fail(field, "missing"));
  }

  Optional<String> optionalText(String field) throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw location.fail(field, "expected a string");
    }
    return Optional.of(value.asText());
  }

  Optional<Integer> optionalInt(String field) throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw location.fail(field, "expected an integer, found " + value);
    }
    return Optional.of(value.asInt());
  }

  Optional<List<String>> optionalTextList(String field) throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw location.fail(field, "expected an array of strings");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw location.fail(field, "expected an array of strings, found element " + element);
      }
      texts.add(element.asText());
    }
    return Optional.of(texts);
  }

  JsonNode requiredArray(String field) throws DatasetFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw location.fail(field, "missing");
    }
    if (!value.isArray()) {
      throw location.fail(field, "expected an array");
    }
    return value;
  }
}
