package io.fedmllm.model;

import java.util.List;
import java.util.Set;

/**
 * LoRA hyper-parameters: rank {@code r}, scaling {@code alpha} (the update is scaled by alpha / r), dropout on the
 * adapter input, and which attention projections of every decoder layer get an adapter.
 */
public record LoraConfig(int r, float alpha, float dropout, List<String> targetModules) {

  public static final List<String> ALL_PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

  public LoraConfig {
    if (r <= 0) {
      throw new IllegalArgumentException("adapter.r must be positive, got " + r);
    }
    if (!(alpha > 0)) {
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
      if (!ALL_PROJECTIONS.contains(t)) {
        throw new IllegalArgumentException(
            "adapter.targetModules: unknown module '" + t + "' (known: " + ALL_PROJECTIONS + ")");
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
    return alpha / r;
  }
}
