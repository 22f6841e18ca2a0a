package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Lets pods schedule onto nodes with a matching taint (Kubernetes Toleration).
 */
@ValidationRule(
    value = CelRules.EXISTS_TAKES_NO_VALUE,
    message = CelRules.EXISTS_TAKES_NO_VALUE_MESSAGE,
    fieldPath = ".value")
@ValidationRule(value = CelRules.EMPTY_KEY_NEEDS_EXISTS, message = CelRules.EMPTY_KEY_NEEDS_EXISTS_MESSAGE)
@ValidationRule(
    value = CelRules.SECONDS_ONLY_NO_EXECUTE,
    message = CelRules.SECONDS_ONLY_NO_EXECUTE_MESSAGE,
    fieldPath = ".tolerationSeconds")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TolerationSpec {

  @JsonPropertyDescription("Taint key; absent with operator Exists tolerates every taint.")
  @Pattern(ApiPatterns.LABEL_KEY)
  private String key;

  @JsonPropertyDescription("Exists, or Equal (the default) to also compare value.")
  private TolerationOperator operator;

  @JsonPropertyDescription("Taint value to match with operator Equal.")
  @Size(max = 63)
  private String value;

  @JsonPropertyDescription("Taint effect to match; absent matches all effects.")
  private TaintEffect effect;

  @JsonPropertyDescription("For NoExecute: how long the pod stays bound after the taint appears.")
  @Min(0)
  private Long tolerationSeconds;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public TolerationOperator getOperator() {
    return operator;
  }

  public void setOperator(TolerationOperator operator) {
    this.operator = operator;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public TaintEffect getEffect() {
    return effect;
  }

  public void setEffect(TaintEffect effect) {
    this.effect = effect;
  }

  public Long getTolerationSeconds() {
    return tolerationSeconds;
  }

  public void setTolerationSeconds(Long tolerationSeconds) {
    this.tolerationSeconds = tolerationSeconds;
  }
}
