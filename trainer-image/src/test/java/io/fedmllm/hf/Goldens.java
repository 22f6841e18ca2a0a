package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The reference checkpoints and outputs tools/hf_reference/generate.py wrote into the test resources. */
public final class Goldens {

  static final List<String> VARIANTS = List.of("llava-clip-llama", "llava-siglip-qwen2", "smolvlm", "smolvlm-split");
  static final ObjectMapper JSON = new ObjectMapper();

  private Goldens() {}

  static Path root() {
    try {
      return Path.of(Goldens.class.getResource("/hf-goldens").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path checkpoint(String variant) {
    return root().resolve(variant).resolve("checkpoint");
  }

  static JsonNode meta(String variant) {
    try {
      return JSON.readTree(root().resolve(variant).resolve("goldens.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TensorMap tensors(String variant) throws IOException {
    return Safetensors.read(root().resolve(variant).resolve("goldens.safetensors")).tensors();
  }

  /** Copies a variant's checkpoint directory into {@code target} so a test can damage it. */
  public static Path copy(String variant, Path target) throws IOException {
    Path source = checkpoint(variant);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  static ObjectNode config(Path dir) throws IOException {
    return (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
  }

  static void writeConfig(Path dir, JsonNode config) throws IOException {
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
  }
}
