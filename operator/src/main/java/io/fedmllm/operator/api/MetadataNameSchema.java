package io.fedmllm.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Declares {@code metadata.name} (a plain string) in the root schema of a CRD, through {@code @SchemaCustomizer} on
 * the resource class, so that a CEL rule on the root can report at {@code fieldPath: .metadata.name}: the API server
 * accepts a fieldPath only when the schema declares it, and the root may declare metadata's name and generateName,
 * nothing else. (fabric8's own MergePatchCustomizer would replace the root's properties instead of adding to them.)
 *
 * <p>Runs only while Quarkus builds the application, like {@link PrinterColumnOrder}.
 */
public class MetadataNameSchema implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
    Map<String, JSONSchemaProps> properties = new LinkedHashMap<>();
    if (root.getProperties() != null) {
      properties.putAll(root.getProperties());
    }
    if (properties.containsKey("metadata")) {
      throw new IllegalStateException("the schema already declares metadata: " + properties.get("metadata"));
    }
    properties.put("metadata", new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("name", new JSONSchemaPropsBuilder().withType("string").build())
        .build());
    root.setProperties(properties);
    return root;
  }
}
