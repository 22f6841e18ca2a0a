package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.Service;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.config.OperatorConfig;
import io.fedmllm.operator.naming.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import jakarta.inject.Inject;

/** The aggregator's metrics Service (see {@link MetricsServices}). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MetricsServiceDependentResource extends CRUDKubernetesDependentResource<Service, Federation> {

  @Inject OperatorConfig config;

  public MetricsServiceDependentResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(Federation primary, Context<Federation> context) {
    return MetricsServices.desired(primary, config.settings());
  }
}
