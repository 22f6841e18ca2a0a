package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A condition on one node label.
 */
@ValidationRule(
    value = CelRules.SET_OPERATORS_NEED_VALUES,
    message = CelRules.SET_OPERATORS_NEED_VALUES_MESSAGE,
    fieldPath = ".operator")
@ValidationRule(
    value = CelRules.EXISTS_OPERATORS_TAKE_NO_VALUES,
    message = CelRules.EXISTS_OPERATORS_TAKE_NO_VALUES_MESSAGE,
    fieldPath = ".values")
@ValidationRule(
    value = CelRules.COMPARISON_TAKES_ONE_VALUE,
    message = CelRules.COMPARISON_TAKES_ONE_VALUE_MESSAGE,
    fieldPath = ".values")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorRequirementSpec {

  @JsonPropertyDescription("Label key, e.g. nvidia.com/gpu.product.")
  @Required
  @Pattern(ApiPatterns.LABEL_KEY)
  private String key;

  @JsonPropertyDescription("How the label is compared.")
  @Required
  private NodeSelectorOperator operator;

  @JsonPropertyDescription("Values for In and NotIn (one or more), or the one integer for Gt and Lt.")
  @Size(max = 64)
  private List<String> values;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public NodeSelectorOperator getOperator() {
    return operator;
  }

  public void setOperator(NodeSelectorOperator operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }
}
