package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.naming.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The rendered manifest ConfigMap (see {@link FederationConfigMaps}). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class FederationConfigDependentResource extends CRUDKubernetesDependentResource<ConfigMap, Federation> {

  public FederationConfigDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected ConfigMap desired(Federation primary, Context<Federation> context) {
    List<FederationClient> clients = context.managedWorkflowAndDependentResourceContext()
        .getMandatory(WorkflowKeys.CLIENTS, List.class);
    return FederationConfigMaps.desired(primary, clients);
  }
}
