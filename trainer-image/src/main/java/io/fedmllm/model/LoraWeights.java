package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.LoraNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One party's LoRA adapter as live arrays: A [r, in] and B [out, r] for each targeted projection of every decoder
 * layer, named as PEFT names them. The base model is shared and frozen; each client holds its own {@code LoraWeights}
 * (with its own manager), so nothing trainable is shared between clients by accident.
 */
public final class LoraWeights implements AutoCloseable {
  private final LoraConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private LoraWeights(LoraConfig config, NDManager manager, Map<String, NDArray> arrays) {
    this.config = config;
    this.manager = manager;
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /**
   * A fresh adapter as PEFT initialises one: A from Kaiming-uniform (bound 1/sqrt(in)), B zero, so the adapted model
   * starts out identical to the base. Drawn from a Java generator so the same seed gives the same bytes everywhere.
   */
  public static TensorMap initialTensors(ModelConfig model, LoraConfig lora, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TensorMap.Builder out = TensorMap.builder();
    int dim = model.dim();
    float bound = (float) (1.0 / Math.sqrt(dim));
    for (String proj : lora.targetModules()) {
      if (!LoraConfig.ALL_PROJECTIONS.contains(proj)) {
        throw new IllegalArgumentException("adapter.targetModules: the built-in base adapts attention projections "
            + LoraConfig.ALL_PROJECTIONS + " only, not " + proj);
      }
    }
    for (int layer = 0; layer < model.layers(); layer++) {
      for (String proj : lora.targetModules()) {
        float[] a = new float[lora.r() * dim];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        out.put(LoraNames.a(layer, proj), new Tensor(new long[] {lora.r(), dim}, a));
        out.put(LoraNames.b(layer, proj), Tensor.zeros(dim, lora.r()));
      }
    }
    return out.build();
  }

  /**
   * Loads adapter tensors into arrays owned by a new sub-manager of {@code parent}; they must have the names and
   * shapes of the base's own fresh adapter.
   */
  public static LoraWeights fromTensors(
      FoundationModel base, LoraConfig lora, TensorMap tensors, NDManager parent) {
    TensorMap expected = base.initialAdapter(lora, 0);
    tensors.requireSameLayout(expected, "adapter");
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> arrays = new TreeMap<>();
    for (Map.Entry<String, Tensor> e : tensors) {
      NDArray array = manager.create(e.getValue().data(), new Shape(e.getValue().shape()));
      array.setName(e.getKey());
      arrays.put(e.getKey(), array);
    }
    return new LoraWeights(lora, manager, arrays);
  }

  public LoraConfig config() {
    return config;
  }

  boolean has(int layer, String projection) {
    return arrays.containsKey(LoraNames.a(layer, projection));
  }

  NDArray a(int layer, String projection) {
    return arrays.get(LoraNames.a(layer, projection));
  }

  NDArray b(int layer, String projection) {
    return arrays.get(LoraNames.b(layer, projection));
  }

  /** The arrays by tensor name, in name order. */
  public Map<String, NDArray> arrays() {
    return arrays;
  }

  /** Marks every adapter array as trainable so backward passes record gradients for it. */
  public void requireGradients() {
    for (NDArray a : arrays.values()) {
      a.setRequiresGradient(true);
    }
  }

  public List<NDArray> trainable() {
    return new ArrayList<>(arrays.values());
  }

  /** Copies the current values out to the heap (for files, the protocol and aggregation). */
  public TensorMap toTensors() {
    TensorMap.Builder out = TensorMap.builder();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      out.put(e.getKey(), new Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
    }
    return out.build();
  }

  @Override
  public void close() {
    manager.close();
  }
}
