package io.fedmllm.operator.client;

import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.api.v1alpha1.FederationClientStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.config.OperatorConfig;
import io.fedmllm.operator.config.OperatorSettings;
import io.fedmllm.operator.events.EventRecorder;
import io.fedmllm.operator.events.Transitions;
import io.fedmllm.operator.federation.WorkflowKeys;
import io.fedmllm.operator.status.ClientObservations;
import io.fedmllm.operator.status.ClientStatusBuilder;
import io.fedmllm.operator.status.FederationStatusBuilder;
import io.fedmllm.operator.status.PodState;
import io.fedmllm.operator.status.StatusPatcher;
import io.fedmllm.operator.storage.ProgressRegistry;
import io.fedmllm.operator.storage.StorageLocation;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import java.util.stream.Collectors;

/**
 * Reconciles a FederationClient into its trainer pod. Its Federation is watched too (indexed by the clients that name
 * it), so a client created before its Federation reports {@code FederationFound=False} and starts when the Federation
 * appears, and suspend, resume and the end of a federation reach every trainer as events.
 */
@ControllerConfiguration(name = FederationClientReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = @Dependent(
        name = "trainer",
        type = TrainerPodDependentResource.class,
        reconcilePrecondition = TrainerWanted.class))
public class FederationClientReconciler implements Reconciler<FederationClient> {

  public static final String NAME = "federationclient";
  static final String BY_FEDERATION = "byFederation";

  private final OperatorConfig config;
  private final ProgressRegistry registry;
  private final EventRecorder events;

  public FederationClientReconciler(OperatorConfig config, ProgressRegistry registry, EventRecorder events) {
    this.config = config;
    this.registry = registry;
    this.events = events;
  }

  @Override
  public List<EventSource<?, FederationClient>> prepareEventSources(EventSourceContext<FederationClient> context) {
    context.getPrimaryCache().addIndexer(BY_FEDERATION, client -> List.of(federationKey(client)));
    var federations = InformerEventSourceConfiguration.from(Federation.class, FederationClient.class)
        .withName("federations")
        .withOnUpdateFilter(new FederationUpdatesForClients())
        .withSecondaryToPrimaryMapper(federation -> context.getPrimaryCache()
            .byIndex(BY_FEDERATION, federation.getMetadata().getNamespace() + "/" + federation.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((FederationClient client) -> client.getSpec() == null
            ? Set.of()
            : Set.of(new ResourceID(client.getSpec().getFederationRef().getName(),
                client.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(federations, context));
  }

  private static String federationKey(FederationClient client) {
    String ref = client.getSpec() == null || client.getSpec().getFederationRef() == null
        ? "" : client.getSpec().getFederationRef().getName();
    return client.getMetadata().getNamespace() + "/" + ref;
  }

  @Override
  public UpdateControl<FederationClient> reconcile(FederationClient client, Context<FederationClient> context) {
    OperatorSettings settings = config.settings();
    String namespace = client.getMetadata().getNamespace();
    String federationName = client.getSpec().getFederationRef().getName();
    Optional<Federation> federation = context.getSecondaryResource(Federation.class);
    Optional<FederationPhase> federationPhase = federation.map(Federation::getStatus).map(s -> s.getPhase());
    boolean suspended = federation.map(f -> Boolean.TRUE.equals(f.getSpec().getSuspend())).orElse(false);
    Instant now = Instant.now();
    PodState trainer = PodState.of(context.getSecondaryResource(Pod.class));
    ClientObservations observed = new ClientObservations(client.getMetadata().getGeneration(),
        client.getMetadata().getName(), namespace, federationName, federation.isPresent(), federationPhase,
        suspended, trainer, false, registry.get(namespace, federationName), now);
    FederationClientStatus old = client.getStatus();
    FederationClientStatus status = ClientStatusBuilder.build(old, observed);
    Duration backoff = TrainerBackoff.remaining(status, settings, now);
    boolean failedOrWaiting = trainer.phase() == PodState.Phase.FAILED || !backoff.isZero();
    if (failedOrWaiting && !backoff.isZero()) {
      status = ClientStatusBuilder.build(old, new ClientObservations(observed.generation(), observed.clientName(),
          namespace, federationName, true, federationPhase, suspended, trainer, true, observed.snapshot(), now));
    }

    if (!StatusPatcher.same(old, status)) {
      Transitions.of(old, status).forEach(e -> events.record(client, e));
      FederationClient fresh = new FederationClient();
      fresh.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(client.getMetadata()).build());
      fresh.setSpec(client.getSpec());
      fresh.setStatus(status);
      StatusPatcher.patch(fresh, context);
    }

    Optional<StorageLocation> location = federation.flatMap(f -> StorageLocation.of(namespace,
        f.getMetadata().getName(), f.getSpec().getStorage()));
    boolean federationRuns = federation.isPresent() && !suspended
        && FederationStatusBuilder.wantsPods(federationPhase.orElse(FederationPhase.PENDING));
    boolean wantsPods = federationRuns && location.isPresent() && backoff.isZero();
    var values = context.managedWorkflowAndDependentResourceContext();
    values.put(WorkflowKeys.WANTS_PODS, wantsPods);
    federation.ifPresent(f -> values.put(WorkflowKeys.FEDERATION, f));
    location.ifPresent(l -> values.put(WorkflowKeys.LOCATION, l));
    values.reconcileManagedWorkflow();

    UpdateControl<FederationClient> control = UpdateControl.noUpdate();
    return federationRuns && !backoff.isZero() ? control.rescheduleAfter(backoff.plusMillis(100)) : control;
  }
}
