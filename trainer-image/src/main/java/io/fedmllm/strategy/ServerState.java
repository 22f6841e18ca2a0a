package io.fedmllm.strategy;

import io.fedmllm.tensor.AtomicFiles;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a server strategy carries from one round to the next: the number of rounds aggregated so far and named
 * slots of float32 tensors with the adapter's layout (FedAdam's {@code m} and {@code v}, SCAFFOLD's {@code c}, ...),
 * plus the strategy's name and parameters so that a restart cannot silently resume with a different configuration.
 *
 * <p>Stored as one safetensors file: tensor {@code <slot>/<adapter tensor name>}, metadata {@code fedmllm.*}. All
 * values are float32 in memory and on disk, so save + load is exact and a resumed run is bit-identical to an
 * uninterrupted one.
 */
public final class ServerState {

  static final String FORMAT_VERSION = "1";
  private static final String SEPARATOR = "/";
  private static final String KEY_FORMAT = "fedmllm.state_format";
  private static final String KEY_STRATEGY = "fedmllm.strategy";
  private static final String KEY_PARAMETERS = "fedmllm.parameters";
  private static final String KEY_ROUND = "fedmllm.round";
  private static final String KEY_SLOTS = "fedmllm.slots";

  private final String strategy;
  private final String parameters;
  private final long round;
  private final SortedMap<String, TensorMap> slots;

  /**
   * @param strategy the strategy's name, e.g. {@code "fedadam"}
   * @param parameters the strategy's parameters in canonical text form (see {@link ServerStrategy#parameters()})
   * @param round number of rounds aggregated so far (0 before the first)
   * @param slots named tensor maps; slot names are non-empty and contain no '/'
   */
  public ServerState(String strategy, String parameters, long round, Map<String, TensorMap> slots) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0, got " + round);
    }
    this.round = round;
    TreeMap<String, TensorMap> copy = new TreeMap<>();
    slots.forEach((name, tensors) -> {
      if (name.isEmpty() || name.contains(SEPARATOR) || name.contains(",")) {
        throw new IllegalArgumentException("invalid slot name '" + name + "'");
      }
      copy.put(name, Objects.requireNonNull(tensors, name));
    });
    this.slots = Collections.unmodifiableSortedMap(copy);
  }

  public String strategy() {
    return strategy;
  }

  public String parameters() {
    return parameters;
  }

  /** Rounds aggregated so far; 0 means the next aggregation is the first. */
  public long round() {
    return round;
  }

  public List<String> slotNames() {
    return List.copyOf(slots.keySet());
  }

  /** The tensors of one slot; throws naming the slot when absent. */
  public TensorMap slot(String name) {
    TensorMap t = slots.get(name);
    if (t == null) {
      throw new IllegalArgumentException("server state of " + strategy + " has no slot '" + name + "' (has "
          + slots.keySet() + ")");
    }
    return t;
  }

  /** The state after one more aggregated round, with the given slots. */
  public ServerState next(Map<String, TensorMap> newSlots) {
    return new ServerState(strategy, parameters, round + 1, newSlots);
  }

  /** The file's exact bytes. */
  public byte[] encode() {
    return Safetensors.encode(flatten(), metadata());
  }

  /** Writes the state atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, out -> Safetensors.writeTo(out, flatten(), metadata()));
  }

  public static ServerState read(Path file) throws IOException {
    Safetensors.Content c = Safetensors.read(file);
    return fromContent(c, file.toString());
  }

  /** Decodes bytes produced by {@link #encode()}; {@code source} names them in errors. */
  public static ServerState decode(byte[] bytes, String source) throws IOException {
    return fromContent(Safetensors.decode(bytes, source), source);
  }

  private TensorMap flatten() {
    TensorMap.Builder b = TensorMap.builder();
    slots.forEach((slot, tensors) -> b.putAll(tensors.rename(n -> slot + SEPARATOR + n)));
    return b.build();
  }

  private Map<String, String> metadata() {
    return Map.of(KEY_FORMAT, FORMAT_VERSION, KEY_STRATEGY, strategy, KEY_PARAMETERS, parameters,
        KEY_ROUND, Long.toString(round), KEY_SLOTS, String.join(",", slots.keySet()));
  }

  private static ServerState fromContent(Safetensors.Content c, String source) throws IOException {
    Map<String, String> meta = c.metadata();
    if (!FORMAT_VERSION.equals(meta.get(KEY_FORMAT))) {
      throw new IOException(source + ": not a server state file (metadata " + KEY_FORMAT + " = "
          + meta.get(KEY_FORMAT) + ", expected " + FORMAT_VERSION + ")");
    }
    for (String key : List.of(KEY_STRATEGY, KEY_PARAMETERS, KEY_ROUND, KEY_SLOTS)) {
      if (!meta.containsKey(key)) {
        throw new IOException(source + ": server state metadata lacks " + key);
      }
    }
    long round;
    try {
      round = Long.parseLong(meta.get(KEY_ROUND));
    } catch (NumberFormatException e) {
      throw new IOException(source + ": server state round '" + meta.get(KEY_ROUND) + "' is not a number", e);
    }
    List<String> slotNames = meta.get(KEY_SLOTS).isEmpty() ? List.of()
        : Arrays.asList(meta.get(KEY_SLOTS).split(","));
    TreeMap<String, TensorMap> slots = new TreeMap<>();
    for (String slot : slotNames) {
      slots.put(slot, c.tensors().withPrefixRemoved(slot + SEPARATOR));
    }
    long claimed = slots.values().stream().mapToLong(TensorMap::size).sum();
    if (claimed != c.tensors().size()) {
      throw new IOException(source + ": server state holds tensors outside its slots " + slotNames);
    }
    try {
      return new ServerState(meta.get(KEY_STRATEGY), meta.get(KEY_PARAMETERS), round, slots);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerState s && strategy.equals(s.strategy) && parameters.equals(s.parameters)
        && round == s.round && slots.equals(s.slots);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strategy, parameters, round, slots);
  }

  @Override
  public String toString() {
    return "ServerState[" + strategy + "(" + parameters + "), round " + round + ", slots " + slots.keySet() + "]";
  }
}
