package io.fedmllm.tensor.lora;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fedmllm.tensor.AtomicFiles;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes an adapter directory in PEFT's layout: {@code adapter_model.safetensors} (metadata
 * {@code format=pt}, as PEFT writes it) and {@code adapter_config.json} (sorted keys, two-space indent).
 *
 * <p>Each file is replaced atomically; the tensors are written before the config, so a reader never sees a config
 * without its tensors. Output bytes depend only on the inputs.
 */
public final class AdapterFiles {

  public static final String MODEL_FILE = "adapter_model.safetensors";
  public static final String CONFIG_FILE = "adapter_config.json";
  static final Map<String, String> SAFETENSORS_METADATA = Map.of("format", "pt");

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectWriter CONFIG_WRITER = JSON.writer(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"))
      .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private AdapterFiles() {}

  /** Writes the adapter into {@code dir} (created if needed). */
  public static void write(Path dir, LoraAdapter adapter) throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(MODEL_FILE), adapter.tensors(), SAFETENSORS_METADATA);
    AtomicFiles.write(dir.resolve(CONFIG_FILE), configJson(adapter.config()));
  }

  /** Validates and writes {@code tensors} with {@code config}. */
  public static void write(Path dir, AdapterConfig config, TensorMap tensors) throws IOException {
    write(dir, new LoraAdapter(config, tensors));
  }

  /** Reads and validates an adapter directory. */
  public static LoraAdapter read(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG_FILE);
    Path modelFile = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw new NoSuchFileException(configFile.toString(), null, "adapter directory has no " + CONFIG_FILE);
    }
    AdapterConfig config = readConfig(configFile);
    TensorMap tensors = Safetensors.read(modelFile).tensors();
    try {
      return new LoraAdapter(config, tensors);
    } catch (IllegalArgumentException e) {
      throw new IOException(modelFile + ": " + e.getMessage(), e);
    }
  }

  /** Parses an {@code adapter_config.json}; errors name the file. */
  public static AdapterConfig readConfig(Path configFile) throws IOException {
    try {
      return JSON.readValue(configFile.toFile(), AdapterConfig.class);
    } catch (IOException e) {
      throw new IOException(configFile + ": invalid adapter config: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** The config file's exact bytes. */
  public static byte[] configJson(AdapterConfig config) {
    try {
      return (CONFIG_WRITER.writeValueAsString(config) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
