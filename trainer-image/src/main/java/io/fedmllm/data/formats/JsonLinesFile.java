package io.fedmllm.data.formats;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSON-lines file record by record; blank lines are skipped, anything else must be one JSON object. */
final class JsonLinesFile {

  /** Turns one parsed record into a sample. */
  interface RecordParser {
    Sample parse(JsonFields record) throws DatasetFormatException;
  }

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonLinesFile() {}

  static List<Sample> read(Path file, RecordParser parser) throws IOException {
    List<Sample> samples = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int lineNumber = 0;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        if (text.isBlank()) {
          continue;
        }
        RecordLocation location = new RecordLocation(file, lineNumber);
        samples.add(parser.parse(new JsonFields(parse(text, location), location)));
      }
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, null, "file not found", e);
    } catch (CharacterCodingException e) {
      throw NotText.at(file, e);
    }
    return samples;
  }

  private static JsonNode parse(String text, RecordLocation location) throws DatasetFormatException {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw location.fail(null, "malformed JSON: " + e.getOriginalMessage());
    }
  }
}
