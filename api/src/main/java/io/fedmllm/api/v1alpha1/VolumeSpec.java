package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The volume a data path or a checkpoint directory lives on.
 */
@ValidationRule(value = CelRules.VOLUME_ONE_OF, message = CelRules.VOLUME_ONE_OF_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeSpec {

  @JsonPropertyDescription("Name of a PersistentVolumeClaim in the namespace, mounted read-only into the pods that read it (cluster only).")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  private String persistentVolumeClaim;

  @JsonPropertyDescription("Absolute directory on the node (or, for fedmllm local, on this machine).")
  @Pattern("^/.*$")
  private String hostPath;

  public String getPersistentVolumeClaim() {
    return persistentVolumeClaim;
  }

  public void setPersistentVolumeClaim(String persistentVolumeClaim) {
    this.persistentVolumeClaim = persistentVolumeClaim;
  }

  public String getHostPath() {
    return hostPath;
  }

  public void setHostPath(String hostPath) {
    this.hostPath = hostPath;
  }
}
