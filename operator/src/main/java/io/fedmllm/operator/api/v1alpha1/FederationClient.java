package io.fedmllm.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fedmllm.api.v1alpha1.CelRules;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.operator.api.MetadataNameSchema;

/** One data owner of a {@link Federation}; the operator runs its trainer pod next to its data. */
@Group(Federation.GROUP)
@Version(Federation.VERSION)
@ShortNames("fedclient")
// Printer columns in this order: see the note on Federation's.
@AdditionalPrinterColumn(name = "Federation", jsonPath = ".spec.federationRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Rounds", jsonPath = ".status.roundsParticipated",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.trainerRestarts",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// The operator names the client's trainer pod after it, and the pods read its name back as a client id. The rule
// reports at metadata.name, which the API server allows only when the schema declares that field (MetadataNameSchema).
@ValidationRule(value = CelRules.NAME_IS_DNS_1035_LABEL, message = CelRules.NAME_IS_DNS_1035_LABEL_MESSAGE,
    fieldPath = ".metadata.name")
@SchemaCustomizer(value = MetadataNameSchema.class, input = "")
public class FederationClient extends CustomResource<FederationClientSpec, FederationClientStatus>
    implements Namespaced {

  /** Required in the CRD: a FederationClient without spec has no federationRef or data. */
  @Override
  @Required
  public FederationClientSpec getSpec() {
    return super.getSpec();
  }

  @Override
  protected FederationClientStatus initStatus() {
    return new FederationClientStatus();
  }
}
