package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * One data owner of a federation: its data, and where its trainer pod may run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationClientSpec {

  @JsonPropertyDescription("The Federation this client trains for.")
  @Required
  private FederationReference federationRef;

  @JsonPropertyDescription("The client's training data; it never leaves the client.")
  @Required
  private DataSourceSpec data;

  @JsonPropertyDescription("Resources of this client's trainer pod, replacing the Federation's.")
  private ResourceRequirementsSpec resources;

  @JsonPropertyDescription("Node labels added to the Federation's nodeSelector (a key set here wins).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations added to the Federation's.")
  @Size(max = 32)
  private List<TolerationSpec> tolerations;

  @JsonPropertyDescription("Node affinity replacing the Federation's.")
  private AffinitySpec affinity;

  public FederationReference getFederationRef() {
    return federationRef;
  }

  public void setFederationRef(FederationReference federationRef) {
    this.federationRef = federationRef;
  }

  public DataSourceSpec getData() {
    return data;
  }

  public void setData(DataSourceSpec data) {
    this.data = data;
  }

  public ResourceRequirementsSpec getResources() {
    return resources;
  }

  public void setResources(ResourceRequirementsSpec resources) {
    this.resources = resources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<TolerationSpec> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<TolerationSpec> tolerations) {
    this.tolerations = tolerations;
  }

  public AffinitySpec getAffinity() {
    return affinity;
  }

  public void setAffinity(AffinitySpec affinity) {
    this.affinity = affinity;
  }
}
