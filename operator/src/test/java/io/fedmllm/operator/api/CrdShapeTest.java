package io.fedmllm.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fedmllm.api.v1alpha1.CelRules;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the build's CRD hooks ({@link PrinterColumnOrder}, {@link MetadataNameSchema}) and the root annotations of
 * the two kinds put into the committed CRDs (crds/, which CrdDriftTest keeps equal to the generated ones).
 */
class CrdShapeTest {

  private static final Path ROOT = Path.of(System.getProperty("fedmllm.repoRoot", ".."));
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static CustomResourceDefinition committed(String name) throws IOException {
    return YAML.unmarshal(Files.readString(ROOT.resolve("crds").resolve(name + "-v1.yml")),
        CustomResourceDefinition.class);
  }

  private static List<List<String>> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(c -> List.of(c.getName(), c.getJsonPath())).toList();
  }

  @Test
  void printerColumnsAreInDeclarationOrderWithPlainPaths() throws IOException {
    assertEquals(List.of(
        List.of("Phase", ".status.phase"),
        List.of("Round", ".status.progress"),
        List.of("Clients", ".status.clientsReady"),
        List.of("Metric", ".status.lastMetric"),
        List.of("Age", ".metadata.creationTimestamp")), columns(committed("federations.fedmllm.io")));
    assertEquals(List.of(
        List.of("Federation", ".spec.federationRef.name"),
        List.of("Phase", ".status.phase"),
        List.of("Rounds", ".status.roundsParticipated"),
        List.of("Restarts", ".status.trainerRestarts"),
        List.of("Age", ".metadata.creationTimestamp")), columns(committed("federationclients.fedmllm.io")));
  }

  @Test
  void specIsRequiredAndTheNameRuleReportsAtMetadataName() throws IOException {
    for (String name : List.of("federations.fedmllm.io", "federationclients.fedmllm.io")) {
      JSONSchemaProps root = committed(name).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      assertEquals(List.of("spec"), root.getRequired(), name);
      assertEquals(1, root.getXKubernetesValidations().size(), name);
      var rule = root.getXKubernetesValidations().get(0);
      assertEquals(List.of(CelRules.NAME_IS_DNS_1035_LABEL, CelRules.NAME_IS_DNS_1035_LABEL_MESSAGE, ".metadata.name"),
          List.of(rule.getRule(), rule.getMessage(), rule.getFieldPath()), name);
      // The API server accepts that fieldPath only because the root declares metadata.name, and nothing else of it.
      JSONSchemaProps metadata = root.getProperties().get("metadata");
      assertEquals("object", metadata.getType(), name);
      assertEquals(Map.of("name", "string"), Map.of("name", metadata.getProperties().get("name").getType()), name);
      assertEquals(1, metadata.getProperties().size(), name);
    }
  }

  /**
   * The operator's classes carry CelRules' values as they were when the operator was compiled (annotation values
   * are inlined constants): a stale build would generate a CRD with an old rule or message.
   */
  @Test
  void rootAnnotationsCarryTheCurrentCelRules() throws Exception {
    String rule = (String) CelRules.class.getField("NAME_IS_DNS_1035_LABEL").get(null);
    String message = (String) CelRules.class.getField("NAME_IS_DNS_1035_LABEL_MESSAGE").get(null);
    for (Class<?> type : List.of(Federation.class, FederationClient.class)) {
      ValidationRule[] rules = type.getAnnotationsByType(ValidationRule.class);
      assertEquals(1, rules.length, type.getSimpleName());
      assertEquals(List.of(rule, message), List.of(rules[0].value(), rules[0].message()),
          type.getSimpleName() + " was compiled against other CelRules: rebuild the operator module from clean");
    }
  }

  @Test
  void reordersColumnsIntoDeclarationOrder() {
    // As fabric8 7.5.2 writes them: sorted by jsonPath, ignoring case.
    CustomResourceDefinition crd = crd("federations.fedmllm.io", List.of(
        column("Age", ".metadata.creationTimestamp"), column("Clients", ".status.clientsReady"),
        column("Metric", ".status.lastMetric"), column("Phase", ".status.phase"),
        column("Round", ".status.progress")));
    new PrinterColumnOrder().process(crd, "v1");
    assertEquals(List.of("Phase", "Round", "Clients", "Metric", "Age"), crd.getSpec().getVersions().get(0)
        .getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getName).toList());
  }

  @Test
  void refusesColumnsItCannotOrder() {
    CustomResourceDefinition extra = crd("federationclients.fedmllm.io", List.of(
        column("Age", ".metadata.creationTimestamp"), column("Federation", ".spec.federationRef.name"),
        column("Phase", ".status.phase"), column("Restarts", ".status.trainerRestarts"),
        column("Rounds", ".status.roundsParticipated"), column("Node", ".status.node")));
    assertThrows(IllegalStateException.class, () -> PrinterColumnOrder.reorder(extra));
    CustomResourceDefinition unknown = crd("others.example.io", List.of(column("A", ".a"), column("B", ".b")));
    assertThrows(IllegalStateException.class, () -> PrinterColumnOrder.reorder(unknown));
    CustomResourceDefinition single = crd("others.example.io", List.of(column("A", ".a")));
    PrinterColumnOrder.reorder(single);
    assertFalse(single.getSpec().getVersions().get(0).getAdditionalPrinterColumns().isEmpty());
  }

  private static CustomResourceDefinition crd(String name, List<CustomResourceColumnDefinition> columns) {
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewVersion().withName("v1alpha1").withAdditionalPrinterColumns(columns).endVersion()
        .endSpec().build();
  }

  private static CustomResourceColumnDefinition column(String name, String jsonPath) {
    return new CustomResourceColumnDefinitionBuilder().withName(name).withJsonPath(jsonPath).withType("string")
        .build();
  }
}
