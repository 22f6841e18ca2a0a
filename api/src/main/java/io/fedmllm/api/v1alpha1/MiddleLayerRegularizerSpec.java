package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * The paper's regularisation strategy: a proximal term (mu/2) muW ||theta - theta_global||^2 over the trainable
 * parameters of layers s .. L-1-s only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MiddleLayerRegularizerSpec {

  @JsonPropertyDescription("Proximal coefficient.")
  @Default("0.01")
  @Min(value = 0, inclusive = false)
  private Double mu = 0.01;

  @JsonPropertyDescription("Weight of the middle layers' term.")
  @Default("0.1")
  @Min(value = 0, inclusive = false)
  private Double muW = 0.1;

  @JsonPropertyDescription("Layers skipped at each end. Absent: one seventh of the model's depth (the paper's 4 of 28 layers).")
  @Min(0)
  private Integer s;

  public Double getMu() {
    return mu;
  }

  public void setMu(Double mu) {
    this.mu = mu;
  }

  public Double getMuW() {
    return muW;
  }

  public void setMuW(Double muW) {
    this.muW = muW;
  }

  public Integer getS() {
    return s;
  }

  public void setS(Integer s) {
    this.s = s;
  }
}
