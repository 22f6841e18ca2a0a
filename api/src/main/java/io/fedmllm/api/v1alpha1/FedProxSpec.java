package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * FedProx: a proximal term (mu/2) ||theta - theta_global||^2 over every trainable parameter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FedProxSpec {

  @JsonPropertyDescription("Proximal coefficient.")
  @Default("0.01")
  @Min(value = 0, inclusive = false)
  private Double mu = 0.01;

  public Double getMu() {
    return mu;
  }

  public void setMu(Double mu) {
    this.mu = mu;
  }
}
