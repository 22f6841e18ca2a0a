package io.fedmllm.api.manifest;

/**
 * One fedmllm.io resource read from a manifest file.
 *
 * @param kind {@code Federation} or {@code FederationClient}
 * @param document 1-based position of its YAML document in the file
 * @param line 1-based line its document starts on
 */
public record Resource<S>(String kind, ResourceMetadata metadata, S spec, int document, int line) {

  public String name() {
    return metadata.getName();
  }

  /** The namespace, {@code default} when the manifest leaves it out (as kubectl does). */
  public String namespace() {
    String ns = metadata.getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }
}
