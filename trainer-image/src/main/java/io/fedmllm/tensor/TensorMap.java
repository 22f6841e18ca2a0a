package io.fedmllm.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * An immutable set of named tensors, iterated in ascending name order so that everything derived from it (files,
 * sums, checksums) is deterministic.
 *
 * <p>The map itself cannot change; the tensors' float arrays are shared, not copied (adapters are megabytes). Code
 * that receives a {@code TensorMap} treats the arrays as read-only, and code that builds one hands over arrays it will
 * not touch again.
 */
public final class TensorMap implements Iterable<Map.Entry<String, Tensor>> {

  private static final TensorMap EMPTY = new TensorMap(new TreeMap<>());

  private final SortedMap<String, Tensor> tensors;

  private TensorMap(SortedMap<String, Tensor> tensors) {
    this.tensors = Collections.unmodifiableSortedMap(tensors);
  }

  /** Copies the given entries (not the arrays) into a new map; names must be non-empty. */
  public static TensorMap of(Map<String, Tensor> tensors) {
    TreeMap<String, Tensor> sorted = new TreeMap<>();
    tensors.forEach((name, tensor) -> sorted.put(checkName(name), Objects.requireNonNull(tensor, name)));
    return new TensorMap(sorted);
  }

  public static TensorMap empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The tensor with this name; throws {@link NoSuchElementException} naming it when absent. */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new NoSuchElementException("no tensor named '" + name + "'");
    }
    return t;
  }

  public Optional<Tensor> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** Names in ascending order. */
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /** Unmodifiable sorted view. */
  public SortedMap<String, Tensor> asMap() {
    return tensors;
  }

  public int size() {
    return tensors.size();
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** Total number of float values across all tensors. */
  public long elementCount() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.size();
    }
    return n;
  }

  /** Payload size in bytes when stored as float32. */
  public long byteSize() {
    return elementCount() * Float.BYTES;
  }

  /** True when both maps have exactly the same names with the same shapes. */
  public boolean sameLayout(TensorMap other) {
    return layoutMismatch(other).isEmpty();
  }

  /**
   * Describes the first layout difference between this map (the reference) and {@code other}, in name order, or
   * empty when the names and shapes agree.
   */
  public Optional<String> layoutMismatch(TensorMap other) {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor theirs = other.tensors.get(e.getKey());
      if (theirs == null) {
        return Optional.of("missing tensor '" + e.getKey() + "'");
      }
      if (!e.getValue().sameShape(theirs)) {
        return Optional.of("tensor '" + e.getKey() + "' has shape " + Arrays.toString(theirs.shape())
            + ", expected " + Arrays.toString(e.getValue().shape()));
      }
    }
    for (String name : other.tensors.keySet()) {
      if (!tensors.containsKey(name)) {
        return Optional.of("unexpected tensor '" + name + "'");
      }
    }
    return Optional.empty();
  }

  /** Throws {@link IllegalArgumentException} starting with {@code what} when the layouts differ. */
  public void requireSameLayout(TensorMap other, String what) {
    layoutMismatch(other).ifPresent(m -> {
      throw new IllegalArgumentException(what + ": " + m);
    });
  }

  /** A map with the same names and shapes, every value {@code value}. */
  public TensorMap filledLike(float value) {
    Builder b = builder();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      float[] data = new float[e.getValue().size()];
      if (value != 0f) {
        Arrays.fill(data, value);
      }
      b.put(e.getKey(), new Tensor(e.getValue().shape(), data));
    }
    return b.build();
  }

  /** This map with {@code name} set to {@code tensor} (added, or replacing the tensor of that name). */
  public TensorMap with(String name, Tensor tensor) {
    java.util.SortedMap<String, Tensor> copy = new java.util.TreeMap<>(asMap());
    copy.put(name, tensor);
    return of(copy);
  }

  /** Deep copy: new arrays, same values. */
  public TensorMap copy() {
    Builder b = builder();
    tensors.forEach((name, t) -> b.put(name, new Tensor(t.shape(), t.data().clone())));
    return b.build();
  }

  /** The same tensors under renamed keys; the renaming must stay injective. */
  public TensorMap rename(UnaryOperator<String> renaming) {
    Builder b = builder();
    tensors.forEach((name, t) -> b.put(renaming.apply(name), t));
    return b.build();
  }

  /** Entries whose name starts with {@code prefix}, with the prefix removed. */
  public TensorMap withPrefixRemoved(String prefix) {
    Builder b = builder();
    tensors.forEach((name, t) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        b.put(name.substring(prefix.length()), t);
      }
    });
    return b.build();
  }

  @Override
  public Iterator<Map.Entry<String, Tensor>> iterator() {
    return tensors.entrySet().iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorMap m && tensors.equals(m.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    tensors.forEach((n, t) -> parts.add(n + Arrays.toString(t.shape())));
    return "TensorMap" + parts;
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must be non-empty");
    }
    return name;
  }

  /** Collects named tensors; a name may be added once. */
  public static final class Builder {
    private final TreeMap<String, Tensor> tensors = new TreeMap<>();

    private Builder() {}

    public Builder put(String name, Tensor tensor) {
      Objects.requireNonNull(tensor, name);
      if (tensors.putIfAbsent(checkName(name), tensor) != null) {
        throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
      }
      return this;
    }

    public Builder putAll(TensorMap map) {
      map.forEach(e -> put(e.getKey(), e.getValue()));
      return this;
    }

    public TensorMap build() {
      return tensors.isEmpty() ? EMPTY : new TensorMap(new TreeMap<>(tensors));
    }
  }
}
