package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA adapters by canonical module name ({@code text.layers.0.self_attn.q_proj}), handed to a forward pass; a model
 * checks them against the modules it has ({@link #requireModules}) before using them, since an adapter with a wrong
 * name would otherwise have no effect, as in PEFT.
 */
public final class LoraAdapters {

  public static final LoraAdapters NONE = new LoraAdapters(Map.of());

  private final Map<String, LoraPair> byModule;

  public LoraAdapters(Map<String, LoraPair> byModule) {
    this.byModule = Collections.unmodifiableMap(new LinkedHashMap<>(byModule));
  }

  /**
   * Adapters from A and B arrays keyed {@code <module>.lora_A.weight} / {@code <module>.lora_B.weight}, with
   * {@code scale = alpha / r}.
   */
  public static LoraAdapters fromArrays(Map<String, NDArray> arrays, double alpha) {
    Map<String, LoraPair> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      String key = e.getKey();
      if (!key.endsWith(".lora_A.weight")) {
        continue;
      }
      String module = key.substring(0, key.length() - ".lora_A.weight".length());
      NDArray b = arrays.get(module + ".lora_B.weight");
      if (b == null) {
        throw new IllegalArgumentException("adapter " + module + " has lora_A but no lora_B");
      }
      long rank = e.getValue().getShape().get(0);
      out.put(module, new LoraPair(e.getValue(), b, (float) (alpha / rank)));
    }
    for (String key : arrays.keySet()) {
      if (key.endsWith(".lora_B.weight")
          && !out.containsKey(key.substring(0, key.length() - ".lora_B.weight".length()))) {
        throw new IllegalArgumentException("adapter tensor " + key + " has no lora_A");
      }
    }
    return new LoraAdapters(out);
  }

  /** The adapter of {@code module}, or null. */
  LoraPair forModule(String module) {
    return byModule.get(module);
  }

  public Set<String> modules() {
    return byModule.keySet();
  }

  /** Fails naming every adapter for a module that is not among {@code adaptable}. */
  void requireModules(Set<String> adaptable) {
    Set<String> unknown = new TreeSet<>(byModule.keySet());
    unknown.removeAll(adaptable);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("LoRA adapters for modules the decoder does not have: " + unknown);
    }
  }
}
