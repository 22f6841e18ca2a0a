package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the server merges the client adapters of a round. Absent parameters take the paper's defaults: eta 1e-3
 * (scaffold 1.0), tau 1e-3, beta1 0.9, beta2 0.99.
 */
@ValidationRule(value = CelRules.FEDAVG_PARAMETERS, message = CelRules.FEDAVG_PARAMETERS_MESSAGE)
@ValidationRule(value = CelRules.FEDAVGM_PARAMETERS, message = CelRules.FEDAVGM_PARAMETERS_MESSAGE)
@ValidationRule(value = CelRules.FEDADAGRAD_PARAMETERS, message = CelRules.FEDADAGRAD_PARAMETERS_MESSAGE)
@ValidationRule(value = CelRules.SCAFFOLD_PARAMETERS, message = CelRules.SCAFFOLD_PARAMETERS_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerStrategySpec {

  @JsonPropertyDescription("The update rule.")
  @Default("fedavg")
  private ServerStrategyName name = ServerStrategyName.FEDAVG;

  @JsonPropertyDescription("Server learning rate (fedadam, fedyogi, fedadagrad, scaffold).")
  @Min(value = 0, inclusive = false)
  private Double eta;

  @JsonPropertyDescription("Adaptivity / numerical stability constant (fedadam, fedyogi, fedadagrad).")
  @Min(value = 0, inclusive = false)
  private Double tau;

  @JsonPropertyDescription("First-moment (momentum) decay, in [0, 1) (fedavgm, fedadam, fedyogi).")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double beta1;

  @JsonPropertyDescription("Second-moment decay, in [0, 1) (fedadam, fedyogi).")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double beta2;

  public ServerStrategyName getName() {
    return name;
  }

  public void setName(ServerStrategyName name) {
    this.name = name;
  }

  public Double getEta() {
    return eta;
  }

  public void setEta(Double eta) {
    this.eta = eta;
  }

  public Double getTau() {
    return tau;
  }

  public void setTau(Double tau) {
    this.tau = tau;
  }

  public Double getBeta1() {
    return beta1;
  }

  public void setBeta1(Double beta1) {
    this.beta1 = beta1;
  }

  public Double getBeta2() {
    return beta2;
  }

  public void setBeta2(Double beta2) {
    this.beta2 = beta2;
  }
}
