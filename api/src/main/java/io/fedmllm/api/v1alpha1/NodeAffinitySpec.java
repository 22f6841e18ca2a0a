package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Node affinity rules (the required part of Kubernetes NodeAffinity).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeAffinitySpec {

  @JsonPropertyDescription("Nodes the pods may run on.")
  @Required
  private NodeSelectorSpec requiredDuringSchedulingIgnoredDuringExecution;

  public NodeSelectorSpec getRequiredDuringSchedulingIgnoredDuringExecution() {
    return requiredDuringSchedulingIgnoredDuringExecution;
  }

  public void setRequiredDuringSchedulingIgnoredDuringExecution(NodeSelectorSpec requiredDuringSchedulingIgnoredDuringExecution) {
    this.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution;
  }
}
