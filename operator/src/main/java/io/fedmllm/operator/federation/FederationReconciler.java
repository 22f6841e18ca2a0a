package io.fedmllm.operator.federation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.api.v1alpha1.ClientPhase;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.FederationStatus;
import io.fedmllm.api.v1alpha1.RetainPolicy;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorConfig;
import io.fedmllm.operator.events.EventRecorder;
import io.fedmllm.operator.events.Transitions;
import io.fedmllm.operator.metrics.FederationGauges;
import io.fedmllm.operator.status.FederationObservations;
import io.fedmllm.operator.status.FederationStatusBuilder;
import io.fedmllm.operator.status.PodState;
import io.fedmllm.operator.status.StatusPatcher;
import io.fedmllm.operator.storage.ProgressRegistry;
import io.fedmllm.operator.storage.ProgressSource;
import io.fedmllm.operator.storage.StorageAccessException;
import io.fedmllm.operator.storage.StorageLocation;
import io.fedmllm.operator.storage.StorageReading;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reconciles a Federation: reads its progress from storage and its pods and clients from the informer caches,
 * computes and records the new status, then lets the workflow apply the ConfigMap, the metrics Service and (while the
 * federation runs) the aggregator pod. Storage is re-read every {@code storage-recheck} while pods are wanted; every
 * other change arrives as an event.
 */
@ControllerConfiguration(name = FederationReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "config", type = FederationConfigDependentResource.class),
      @Dependent(name = "metrics-service", type = MetricsServiceDependentResource.class),
      @Dependent(
          name = "aggregator",
          type = AggregatorPodDependentResource.class,
          reconcilePrecondition = AggregatorWanted.class,
          dependsOn = "config")
    })
public class FederationReconciler implements Reconciler<Federation>, Cleaner<Federation> {

  public static final String NAME = "federation";
  private static final Logger LOG = Logger.getLogger(FederationReconciler.class);
  private static final Duration CLEANUP_RETRY = Duration.ofSeconds(30);

  private final OperatorConfig config;
  private final ProgressSource progress;
  private final ProgressRegistry registry;
  private final EventRecorder events;
  private final FederationGauges gauges;

  public FederationReconciler(OperatorConfig config, ProgressSource progress, ProgressRegistry registry,
      EventRecorder events, FederationGauges gauges) {
    this.config = config;
    this.progress = progress;
    this.registry = registry;
    this.events = events;
    this.gauges = gauges;
  }

  @Override
  public List<EventSource<?, Federation>> prepareEventSources(EventSourceContext<Federation> context) {
    var clients = InformerEventSourceConfiguration.from(FederationClient.class, Federation.class)
        .withName("clients")
        .withOnUpdateFilter(new ClientUpdatesForFederation())
        .withSecondaryToPrimaryMapper(client -> client.getSpec() == null || client.getSpec().getFederationRef() == null
            ? Set.of()
            : Set.of(new ResourceID(client.getSpec().getFederationRef().getName(),
                client.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(clients, context));
  }

  @Override
  public UpdateControl<Federation> reconcile(Federation federation, Context<Federation> context) {
    String namespace = federation.getMetadata().getNamespace();
    String name = federation.getMetadata().getName();
    FederationSpec spec = federation.getSpec();
    List<FederationClient> clients = List.copyOf(context.getSecondaryResources(FederationClient.class));
    Optional<StorageLocation> location = StorageLocation.of(namespace, name, spec.getStorage());
    StorageReading reading = location.<StorageReading>map(l -> progress.read(namespace, l))
        .orElse(new StorageReading.NotConfigured());
    if (reading instanceof StorageReading.Snapshot s) {
      registry.put(namespace, name, s.snapshot());
    }
    FederationObservations observed = new FederationObservations(
        federation.getMetadata().getGeneration(), spec.getRounds(), Boolean.TRUE.equals(spec.getSuspend()),
        spec.getMinClients(), spec.getTask(), location, reading,
        PodState.of(context.getSecondaryResource(Pod.class)), clients.size(),
        (int) clients.stream().filter(FederationReconciler::trainerRunning).count(), Instant.now());
    FederationStatus old = federation.getStatus();
    FederationStatus status = new FederationStatusBuilder(config.historySize()).build(old, observed);

    if (!StatusPatcher.same(old, status)) {
      Transitions.of(old, status).forEach(e -> events.record(federation, e));
      Federation fresh = new Federation();
      fresh.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(federation.getMetadata()).build());
      fresh.setSpec(federation.getSpec());
      fresh.setStatus(status);
      StatusPatcher.patch(fresh, context);
    }
    gauges.update(namespace, name, status);

    boolean wantsPods = location.isPresent() && FederationStatusBuilder.wantsPods(status.getPhase());
    var values = context.managedWorkflowAndDependentResourceContext();
    values.put(WorkflowKeys.WANTS_PODS, wantsPods);
    location.ifPresent(l -> values.put(WorkflowKeys.LOCATION, l));
    values.put(WorkflowKeys.CLIENTS, clients);
    values.reconcileManagedWorkflow();

    UpdateControl<Federation> control = UpdateControl.noUpdate();
    return wantsPods ? control.rescheduleAfter(config.storageRecheck()) : control;
  }

  private static boolean trainerRunning(FederationClient client) {
    return client.getStatus() != null && client.getStatus().getPhase() == ClientPhase.TRAINING;
  }

  @Override
  public DeleteControl cleanup(Federation federation, Context<Federation> context) {
    String namespace = federation.getMetadata().getNamespace();
    String name = federation.getMetadata().getName();
    var storage = federation.getSpec().getStorage();
    Optional<StorageLocation> location = StorageLocation.of(namespace, name, storage);
    if (location.isPresent() && storage.getRetainPolicy() == RetainPolicy.DELETE) {
      try {
        progress.deletePrefix(namespace, location.get());
        LOG.infof("deleted %s for Federation %s/%s (retainPolicy Delete)",
            location.get().uri(location.get().prefix() + "/"), namespace, name);
      } catch (StorageAccessException e) {
        LOG.warnf("Federation %s/%s kept until its storage is deleted: %s", namespace, name, e.getMessage());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RETRY);
      }
    }
    gauges.remove(namespace, name);
    registry.remove(namespace, name);
    return DeleteControl.defaultDelete();
  }
}
