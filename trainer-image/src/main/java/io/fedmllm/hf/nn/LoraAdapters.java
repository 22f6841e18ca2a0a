package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA adapters by canonical module name ({@code text.layers.0.self_attn.q_proj}); loading a decoder takes each
 * module's adapter and {@link #checkAllUsed} fails on adapters no module took (a wrong name would otherwise have no
 * effect, as in PEFT).
 */
public final class LoraAdapters {

  public static final LoraAdapters NONE = new LoraAdapters(Map.of());

  private final Map<String, LoraPair> byModule;
  private final Set<String> taken = Collections.synchronizedSet(new TreeSet<>());

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

  Optional<LoraPair> forModule(String module) {
    LoraPair pair = byModule.get(module);
    if (pair != null) {
      taken.add(module);
    }
    return Optional.ofNullable(pair);
  }

  public Set<String> modules() {
    return byModule.keySet();
  }

  /** Fails naming every adapter no loaded module took. */
  void checkAllUsed() {
    Set<String> unused = new TreeSet<>(byModule.keySet());
    unused.removeAll(taken);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("LoRA adapters for modules the decoder does not have: " + unused);
    }
  }
}
