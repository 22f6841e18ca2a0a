package io.fedmllm.model;

import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.TargetModules;
import java.util.List;
import java.util.Set;

/**
 * LoRA hyper-parameters: rank {@code r}, scaling {@code alpha} (the update is scaled by alpha / r), dropout on the
 * adapter input, and which attention projections of every decoder layer get an adapter. {@code alpha} is kept as the
 * spec gives it (a double) so that {@code adapter_config.json} states it exactly; the model computes in float.
 */
public record LoraConfig(int r, double alpha, float dropout, List<String> targetModules) {

  public static final List<String> ALL_PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

  /** Every projection an adapter may target: attention, and the MLP of Llama-style decoders. */
  public static final List<String> KNOWN_PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraConfig {
    if (r <= 0) {
      throw new IllegalArgumentException("adapter.r must be positive, got " + r);
    }
    if (!(alpha > 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("adapter.alpha must be positive, got " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("adapter.dropout must be in [0, 1), got " + dropout);
    }
    targetModules = List.copyOf(targetModules);
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("adapter.targetModules must name at least one projection");
    }
    for (String t : targetModules) {
      if (!KNOWN_PROJECTIONS.contains(t)) {
        throw new IllegalArgumentException(
            "adapter.targetModules: unknown module '" + t + "' (known: " + KNOWN_PROJECTIONS + ")");
      }
    }
    if (Set.copyOf(targetModules).size() != targetModules.size()) {
      throw new IllegalArgumentException("adapter.targetModules lists a module twice: " + targetModules);
    }
  }

  /** The paper's recipe: r = 8, alpha = 8, dropout 0.05 on q/k/v/o. */
  public static LoraConfig paperDefault() {
    return new LoraConfig(8, 8f, 0.05f, ALL_PROJECTIONS);
  }

  public float scale() {
    return (float) (alpha / r);
  }

  /**
   * The PEFT {@code adapter_config.json} of an adapter trained with these settings: rank, {@code lora_alpha} (exactly
   * {@link #alpha()}), dropout (the shortest decimal of the float the model uses, e.g. 0.05 rather than
   * 0.05000000074505806) and exactly the target modules trained, in the order given.
   */
  public AdapterConfig adapterConfig(String baseModelNameOrPath, boolean inferenceMode) {
    return adapterConfig(baseModelNameOrPath, inferenceMode, TargetModules.list(targetModules));
  }

  /** As {@link #adapterConfig(String, boolean)} with {@code target_modules} as the architecture must state it. */
  public AdapterConfig adapterConfig(String baseModelNameOrPath, boolean inferenceMode, TargetModules targets) {
    return new AdapterConfig(baseModelNameOrPath, AdapterConfig.NO_BIAS, inferenceMode, alpha,
        Double.parseDouble(Float.toString(dropout)), AdapterConfig.PEFT_TYPE, r, targets, AdapterConfig.TASK_TYPE);
  }
}
