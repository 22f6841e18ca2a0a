package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Client-side plug-ins, combinable with any server strategy.
 */
@ValidationRule(value = CelRules.PROXIMAL_ONE_OF, message = CelRules.PROXIMAL_ONE_OF_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientStrategiesSpec {

  @JsonPropertyDescription("FedProx proximal term on every layer.")
  private FedProxSpec fedProx;

  @JsonPropertyDescription("The paper's proximal term restricted to the middle layers.")
  private MiddleLayerRegularizerSpec middleLayerRegularizer;

  @JsonPropertyDescription("The paper's prompt strategy: one instruction wording whatever modalities a sample has.")
  @Default("false")
  private Boolean modalityAgnosticPrompt = false;

  public FedProxSpec getFedProx() {
    return fedProx;
  }

  public void setFedProx(FedProxSpec fedProx) {
    this.fedProx = fedProx;
  }

  public MiddleLayerRegularizerSpec getMiddleLayerRegularizer() {
    return middleLayerRegularizer;
  }

  public void setMiddleLayerRegularizer(MiddleLayerRegularizerSpec middleLayerRegularizer) {
    this.middleLayerRegularizer = middleLayerRegularizer;
  }

  public Boolean getModalityAgnosticPrompt() {
    return modalityAgnosticPrompt;
  }

  public void setModalityAgnosticPrompt(Boolean modalityAgnosticPrompt) {
    this.modalityAgnosticPrompt = modalityAgnosticPrompt;
  }
}
