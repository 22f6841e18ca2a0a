package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Node selector terms; a node matches when any term matches.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorSpec {

  @JsonPropertyDescription("Alternative terms.")
  @Required
  @Size(min = 1, max = 16)
  private List<NodeSelectorTermSpec> nodeSelectorTerms;

  public List<NodeSelectorTermSpec> getNodeSelectorTerms() {
    return nodeSelectorTerms;
  }

  public void setNodeSelectorTerms(List<NodeSelectorTermSpec> nodeSelectorTerms) {
    this.nodeSelectorTerms = nodeSelectorTerms;
  }
}
