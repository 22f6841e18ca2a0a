package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Requests and limits of a pod's main container.
 */
@ValidationRule(
    value = CelRules.GPU_NOT_OVERCOMMITTED,
    message = CelRules.GPU_NOT_OVERCOMMITTED_MESSAGE,
    fieldPath = ".requests")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceRequirementsSpec {

  @JsonPropertyDescription("What the scheduler reserves.")
  private ResourceListSpec requests;

  @JsonPropertyDescription("The most the container may use; GPUs must be set here.")
  private ResourceListSpec limits;

  public ResourceListSpec getRequests() {
    return requests;
  }

  public void setRequests(ResourceListSpec requests) {
    this.requests = requests;
  }

  public ResourceListSpec getLimits() {
    return limits;
  }

  public void setLimits(ResourceListSpec limits) {
    this.limits = limits;
  }
}
