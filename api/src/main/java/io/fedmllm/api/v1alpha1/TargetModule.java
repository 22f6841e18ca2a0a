package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An attention projection of every decoder layer that can carry a LoRA adapter, by its PEFT module name. */
public enum TargetModule {
  @JsonProperty("q_proj")
  Q_PROJ,
  @JsonProperty("k_proj")
  K_PROJ,
  @JsonProperty("v_proj")
  V_PROJ,
  @JsonProperty("o_proj")
  O_PROJ
}
