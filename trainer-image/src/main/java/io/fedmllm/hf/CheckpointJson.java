package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one JSON object file of a checkpoint directory; every problem is one line naming the file. */
final class CheckpointJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointJson() {}

  static JsonNode readObject(Path file) throws CheckpointException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new CheckpointException(file + ": not readable JSON: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + ": expected a JSON object");
    }
    return root;
  }
}
