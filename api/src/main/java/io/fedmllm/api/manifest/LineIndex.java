package io.fedmllm.api.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The line of every field of every document of a YAML file, by field path ({@code spec.tolerations[0].key}), so errors
 * found after binding (missing fields, cross-field rules) can still point at a line.
 */
final class LineIndex {

  private final List<Map<String, Integer>> documents;

  private LineIndex(List<Map<String, Integer>> documents) {
    this.documents = documents;
  }

  /** Reads the token stream of {@code parser} to its end. */
  static LineIndex of(JsonParser parser) throws IOException {
    List<Map<String, Integer>> documents = new ArrayList<>();
    Deque<Frame> open = new ArrayDeque<>();
    Map<String, Integer> current = null;
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      int line = parser.currentTokenLocation().getLineNr();
      if (open.isEmpty()) {
        current = new HashMap<>();
        current.put("", line);
        documents.add(current);
      }
      Frame frame = open.peek();
      if (token == JsonToken.FIELD_NAME) {
        frame.field = parser.currentName();
        current.put(frame.child(), line);
        continue;
      }
      if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        open.pop();
        continue;
      }
      String path = frame == null ? "" : frame.nextValue(current, line);
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        open.push(new Frame(path, token == JsonToken.START_ARRAY));
      }
    }
    return new LineIndex(documents);
  }

  /** The line of {@code path} in document {@code document} (1-based), or of its nearest enclosing field. */
  int line(int document, String path) {
    Map<String, Integer> lines = documents.get(document - 1);
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return lines.get("");
      }
      p = p.substring(0, cut);
    }
  }

  /** The deepest field path (of any document) whose key or value starts on {@code line}, for errors of the reader. */
  Optional<String> pathAt(int line) {
    String found = null;
    for (Map<String, Integer> lines : documents) {
      for (Map.Entry<String, Integer> e : lines.entrySet()) {
        if (e.getValue() == line && !e.getKey().isEmpty() && (found == null || e.getKey().length() > found.length())) {
          found = e.getKey();
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private static final class Frame {
    final String path;
    final boolean array;
    String field;
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String child() {
      return path.isEmpty() ? field : path + "." + field;
    }

    /** The path of the value starting now; array elements are numbered and recorded here. */
    String nextValue(Map<String, Integer> lines, int line) {
      if (!array) {
        return child();
      }
      String element = path + "[" + index++ + "]";
      lines.putIfAbsent(element, line);
      return element;
    }
  }
}
