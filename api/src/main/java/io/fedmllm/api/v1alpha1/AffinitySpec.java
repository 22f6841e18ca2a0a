package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Scheduling constraints beyond nodeSelector (a typed subset of Kubernetes Affinity).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AffinitySpec {

  @JsonPropertyDescription("Node affinity.")
  @Required
  private NodeAffinitySpec nodeAffinity;

  public NodeAffinitySpec getNodeAffinity() {
    return nodeAffinity;
  }

  public void setNodeAffinity(NodeAffinitySpec nodeAffinity) {
    this.nodeAffinity = nodeAffinity;
  }
}
