package io.fedmllm.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.tensor.SafetensorsEntry;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weight files of a checkpoint directory, {@code model.safetensors} or the shards {@code
 * model.safetensors.index.json} lists, opened memory-mapped, with every tensor under its canonical name
 * ({@link TensorNaming}). Tensors are read (and widened to float32) only when asked for.
 */
public final class CheckpointWeights implements Closeable {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  /** Where a tensor lives: its reader, its header entry (stored name, dtype, shape). */
  public record Location(SafetensorsReader reader, SafetensorsEntry entry) {
    public String file() {
      return reader.sourceName();
    }
  }

  private final List<SafetensorsReader> readers;
  private final Map<String, Location> byCanonical;
  private final List<String> unrecognised;

  private CheckpointWeights(List<SafetensorsReader> readers, Map<String, Location> byCanonical,
      List<String> unrecognised) {
    this.readers = readers;
    this.byCanonical = byCanonical;
    this.unrecognised = unrecognised;
  }

  /** Opens the weight files of {@code dir} for a checkpoint of {@code family}. */
  public static CheckpointWeights open(Path dir, ModelFamily family) throws IOException {
    List<Path> files = weightFiles(dir);
    List<SafetensorsReader> readers = new ArrayList<>();
    try {
      Map<String, Location> byCanonical = new TreeMap<>();
      List<String> unrecognised = new ArrayList<>();
      for (Path file : files) {
        SafetensorsReader reader = SafetensorsReader.openCheckpoint(file);
        readers.add(reader);
        for (SafetensorsEntry entry : reader.entries()) {
          var canonical = TensorNaming.canonical(family, entry.name());
          if (canonical.isEmpty()) {
            unrecognised.add(entry.name());
            continue;
          }
          Location previous = byCanonical.put(canonical.get(), new Location(reader, entry));
          if (previous != null) {
            throw new CheckpointException(file + ": tensor '" + entry.name() + "' is the same weight as '"
                + previous.entry().name() + "' in " + previous.file() + " (both are " + canonical.get() + ")");
          }
        }
      }
      if (files.size() > 1 || Files.exists(dir.resolve(INDEX_FILE))) {
        checkIndex(dir, byCanonical, family);
      }
      return new CheckpointWeights(List.copyOf(readers), Collections.unmodifiableMap(byCanonical),
          List.copyOf(unrecognised));
    } catch (IOException | RuntimeException e) {
      for (SafetensorsReader r : readers) {
        r.close();
      }
      throw e;
    }
  }

  /** The weight files: the single file if present, else the shards the index names (each must exist). */
  static List<Path> weightFiles(Path dir) throws CheckpointException {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir + ": not a checkpoint directory (does not exist or is not a directory)");
    }
    if (Files.isRegularFile(dir.resolve(SINGLE_FILE))) {
      return List.of(dir.resolve(SINGLE_FILE));
    }
    Path index = dir.resolve(INDEX_FILE);
    if (!Files.isRegularFile(index)) {
      throw new CheckpointException(dir + ": neither " + SINGLE_FILE + " nor " + INDEX_FILE + " found");
    }
    List<Path> shards = new ArrayList<>();
    for (String shard : new TreeSet<>(weightMap(index).values())) {
      Path file = dir.resolve(shard).normalize();
      if (!file.getParent().equals(dir.normalize())) {
        throw new CheckpointException(index + ": shard '" + shard + "' is outside the checkpoint directory");
      }
      if (!Files.isRegularFile(file)) {
        throw new CheckpointException(index + ": shard '" + shard + "' is missing");
      }
      shards.add(file);
    }
    return shards;
  }

  private static Map<String, String> weightMap(Path index) throws CheckpointException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(index));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(index + ": missing");
    } catch (IOException e) {
      throw new CheckpointException(index + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new CheckpointException(index + ": weight_map missing or empty");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      if (!e.getValue().isTextual()) {
        throw new CheckpointException(index + ": weight_map." + e.getKey() + " is " + e.getValue()
            + ", expected a file name");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** Every tensor the index places in a shard must be in that shard. */
  private static void checkIndex(Path dir, Map<String, Location> byCanonical, ModelFamily family)
      throws CheckpointException {
    Path index = dir.resolve(INDEX_FILE);
    for (Map.Entry<String, String> e : weightMap(index).entrySet()) {
      Location at = TensorNaming.canonical(family, e.getKey()).map(byCanonical::get).orElse(null);
      Path expected = dir.resolve(e.getValue()).normalize();
      if (at == null || !at.entry().name().equals(e.getKey()) || !Path.of(at.file()).normalize().equals(expected)) {
        throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is listed in " + e.getValue()
            + " but that shard does not hold it");
      }
    }
  }

  /** Canonical names of every recognised tensor. */
  public Set<String> names() {
    return byCanonical.keySet();
  }

  /** Stored names that belong to no part of the family. */
  public List<String> unrecognised() {
    return unrecognised;
  }

  public Optional<Location> locate(String canonical) {
    return Optional.ofNullable(byCanonical.get(canonical));
  }

  /** Reads a tensor by canonical name, widened to float32. */
  public Tensor read(String canonical) throws IOException {
    Location at = byCanonical.get(canonical);
    if (at == null) {
      throw new CheckpointException("checkpoint has no tensor " + canonical);
    }
    return at.reader().read(at.entry());
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SafetensorsReader r : readers) {
      try {
        r.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
