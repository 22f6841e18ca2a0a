package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A projection of every decoder layer that can carry a LoRA adapter, by its PEFT module name: the attention
 * projections, and the MLP projections of Llama-style decoders (Hugging Face checkpoints; the built-in presets adapt
 * attention only).
 */
public enum TargetModule {
  @JsonProperty("q_proj")
  Q_PROJ,
  @JsonProperty("k_proj")
  K_PROJ,
  @JsonProperty("v_proj")
  V_PROJ,
  @JsonProperty("o_proj")
  O_PROJ,
  @JsonProperty("gate_proj")
  GATE_PROJ,
  @JsonProperty("up_proj")
  UP_PROJ,
  @JsonProperty("down_proj")
  DOWN_PROJ
}
