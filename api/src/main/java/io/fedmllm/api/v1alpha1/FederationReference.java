package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Names the Federation a client belongs to, in the client's namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationReference {

  @JsonPropertyDescription("Name of the Federation (a DNS-1035 label, as every Federation's name is).")
  @Required
  @Pattern(ApiPatterns.RESOURCE_NAME)
  @Size(max = 63)
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
