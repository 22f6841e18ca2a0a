package io.fedmllm.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CRD post-processor of the build ({@code quarkus.operator-sdk.crd.post-processor}): puts each version's printer
 * columns in the order their {@code @AdditionalPrinterColumn} annotations are declared on the resource class. kubectl
 * shows the columns in the CRD's order, and fabric8's CRD generator (7.5.2) writes them sorted by jsonPath, ignoring
 * case (it has no order attribute, fabric8io/kubernetes-client#7454), which would put Age first.
 *
 * <p>Runs only while Quarkus builds the application, where fabric8's crd-generator is on the class path (the operator
 * declares it {@code provided}); nothing loads this class at run time.
 */
public class PrinterColumnOrder implements CRDPostProcessor {

  /** The resource classes whose CRDs the build generates. */
  static final List<Class<? extends HasMetadata>> RESOURCES = List.of(Federation.class, FederationClient.class);

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition v1)) {
      throw new IllegalStateException("only apiextensions.k8s.io/v1 CRDs are generated, got " + crdSpecVersion
          + " for " + crd.getMetadata().getName());
    }
    reorder(v1);
    return v1;
  }

  /** Reorders {@code crd}'s printer columns in place. */
  static void reorder(CustomResourceDefinition crd) {
    String name = crd.getMetadata().getName();
    Optional<Class<? extends HasMetadata>> type = RESOURCES.stream()
        .filter(c -> HasMetadata.getFullResourceName(c).equals(name)).findFirst();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns == null || columns.size() < 2) {
        continue;
      }
      if (type.isEmpty()) {
        throw new IllegalStateException("CRD " + name + " has printer columns but no class in "
            + PrinterColumnOrder.class.getName() + ".RESOURCES to order them by");
      }
      List<String> declared = Arrays.stream(type.get().getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::name).toList();
      Map<String, CustomResourceColumnDefinition> byName = new LinkedHashMap<>();
      columns.forEach(c -> byName.put(c.getName(), c));
      if (!byName.keySet().equals(Set.copyOf(declared)) || declared.size() != columns.size()) {
        throw new IllegalStateException("CRD " + name + " version " + version.getName() + ": printer columns "
            + byName.keySet() + " are not the ones declared on " + type.get().getSimpleName() + " " + declared);
      }
      version.setAdditionalPrinterColumns(new ArrayList<>(declared.stream().map(byName::get).toList()));
    }
  }
}
