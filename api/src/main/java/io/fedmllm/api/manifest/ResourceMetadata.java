package io.fedmllm.api.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The part of Kubernetes' ObjectMeta a manifest may set: name, namespace, labels and annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceMetadata {

  private String name;
  private String namespace;
  private Map<String, String> labels;
  private Map<String, String> annotations;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
