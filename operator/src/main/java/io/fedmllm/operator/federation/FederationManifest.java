package io.fedmllm.operator.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a Federation and its clients back into the multi-document manifest {@code fedmllm local} reads (spec only:
 * no status, no server-set metadata, no secret values, clients sorted by name). The pods read this file, so a
 * manifest that runs locally and the one the cluster runs are parsed by the same reader into the same model.
 */
public final class FederationManifest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private FederationManifest() {}

  /** The manifest text. */
  public static String render(Federation federation, List<FederationClient> clients) {
    StringBuilder out = new StringBuilder();
    out.append(document("Federation", federation.getMetadata().getName(), federation.getMetadata().getNamespace(),
        federation.getSpec()));
    clients.stream()
        .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
        .forEach(c -> out.append("---\n").append(document("FederationClient", c.getMetadata().getName(),
            c.getMetadata().getNamespace(), c.getSpec())));
    return out.toString();
  }

  private static String document(String kind, String name, String namespace, Object spec) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", Federation.GROUP + "/" + Federation.VERSION);
    doc.put("kind", kind);
    doc.put("metadata", metadata);
    doc.put("spec", spec);
    try {
      return YAML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + kind + " " + name + ": " + e.getMessage(), e);
    }
  }
}
