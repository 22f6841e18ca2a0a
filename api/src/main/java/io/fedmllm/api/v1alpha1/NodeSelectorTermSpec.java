package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Conditions that must all hold for a node to match.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorTermSpec {

  @JsonPropertyDescription("Label conditions, all required.")
  @Required
  @Size(min = 1, max = 32)
  private List<NodeSelectorRequirementSpec> matchExpressions;

  public List<NodeSelectorRequirementSpec> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<NodeSelectorRequirementSpec> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }
}
