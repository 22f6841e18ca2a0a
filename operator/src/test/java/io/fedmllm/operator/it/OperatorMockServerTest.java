package io.fedmllm.operator.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.api.v1alpha1.ClientPhase;
import io.fedmllm.api.v1alpha1.ConditionStatus;
import io.fedmllm.api.v1alpha1.FederationPhase;
import io.fedmllm.api.v1alpha1.RetainPolicy;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.InMemoryProgressSource;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.metrics.FederationGauges;
import io.fedmllm.operator.status.ConditionTypes;
import io.fedmllm.operator.status.Conditions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The operator (both reconcilers, all dependents) against the fabric8 mock API server in CRUD mode. The mock server
 * has no kubelet, scheduler or garbage collector: tests set pod status themselves, and removal through owner
 * references is asserted as the owner reference being there.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorMockServerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;
  @Inject InMemoryProgressSource storage;
  @Inject MeterRegistry meters;

  private String namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
    return name;
  }

  private Federation create(Federation federation) {
    federation.getMetadata().setUid(null);
    federation.getMetadata().setGeneration(null);
    return client.resource(federation).create();
  }

  private FederationClient create(FederationClient c) {
    c.getMetadata().setUid(null);
    c.getMetadata().setGeneration(null);
    return client.resource(c).create();
  }

  private Pod pod(String ns, String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  private void setPodPhase(String ns, String name, String phase) {
    Pod pod = pod(ns, name);
    pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
    client.resource(pod).updateStatus();
  }

  private void edit(String ns, String name, java.util.function.Consumer<Federation> change) {
    client.resources(Federation.class).inNamespace(ns).withName(name).edit(f -> {
      change.accept(f);
      return f;
    });
  }

  private Federation federation(String ns, String name) {
    return client.resources(Federation.class).inNamespace(ns).withName(name).get();
  }

  private FederationClient fedClient(String ns, String name) {
    return client.resources(FederationClient.class).inNamespace(ns).withName(name).get();
  }

  private void awaitFederation(String ns, String name, Predicate<Federation> condition) {
    await().atMost(WAIT).until(() -> {
      Federation f = federation(ns, name);
      return f != null && f.getStatus() != null && condition.test(f);
    });
  }

  private static FederationProgress snapshot(String phase, int committed, int total) {
    return snapshot(phase, committed, total, 0);
  }

  private static FederationProgress snapshot(String phase, int committed, int total, int generation) {
    List<RoundManifest> rounds = new java.util.ArrayList<>();
    for (int r = 0; r < committed; r++) {
      rounds.add(new RoundManifest(r, List.of("c0", "c1"), List.of("c0", "c1"), List.of(), List.of(), 0.4,
          new RoundMetric("roc_auc", 0.7 + r / 100.0, 0.5, 100), 1.0, 2.0,
          new ObjectRef("p/rounds/global-" + r + ".safetensors", "cd".repeat(32), 42), null, List.of("c0", "c1")));
    }
    return new FederationProgress(ProgressPhase.valueOf(phase), committed, total, null, null, rounds, System.currentTimeMillis(), generation);
  }

  private List<String> args(String ns, String pod) {
    return pod(ns, pod).getSpec().getContainers().get(0).getArgs();
  }

  private static String readyReason(Federation f) {
    return Conditions.find(f.getStatus().getConditions(), ConditionTypes.READY).map(c -> c.getReason()).orElse("");
  }

  @Test
  void federationWithClientsRunsPodsAndMirrorsTheirStatus() {
    String ns = namespace("run");
    Federation fed = Fixtures.federation(ns, "fed");
    fed.getSpec().getStorage().setPrefix("runs/fed");
    create(fed);
    create(Fixtures.client(ns, "c0", "fed"));
    create(Fixtures.client(ns, "c1", "fed"));

    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null
        && pod(ns, "c1-trainer") != null);
    assertNotNull(client.services().inNamespace(ns).withName("fed-metrics").get());
    // The rendered manifest follows the clients: the second client may land in it a reconcile after its pod exists.
    await().atMost(WAIT).until(() -> {
      var config = client.configMaps().inNamespace(ns).withName("fed-config").get();
      return config != null && config.getData().get("federation.yaml").contains("name: \"c1\"");
    });
    assertEquals("Federation", pod(ns, "fed-aggregator").getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals("FederationClient", pod(ns, "c0-trainer").getMetadata().getOwnerReferences().get(0).getKind());

    setPodPhase(ns, "fed-aggregator", "Running");
    setPodPhase(ns, "c0-trainer", "Running");
    setPodPhase(ns, "c1-trainer", "Running");
    await().atMost(WAIT).until(() -> fedClient(ns, "c0").getStatus() != null
        && fedClient(ns, "c0").getStatus().getPhase() == ClientPhase.TRAINING);
    awaitFederation(ns, "fed", f -> f.getStatus().getClientsReady() == 2
        && f.getStatus().getPhase() == FederationPhase.RUNNING
        && Conditions.isTrue(f.getStatus().getConditions(), ConditionTypes.AGGREGATOR_READY));

    storage.write("fedmllm", "runs/fed", snapshot("RUNNING", 2, 3));
    awaitFederation(ns, "fed", f -> f.getStatus().getCompletedRounds() == 2);
    Federation running = federation(ns, "fed");
    assertEquals("2/3", running.getStatus().getProgress());
    assertEquals(0.71, running.getStatus().getLastMetric(), 1e-9);
    assertEquals(2, running.getStatus().getHistory().size());
    assertTrue(meters.find(FederationGauges.ROUND).tag("namespace", ns).tag("federation", "fed").gauge().value() == 2);
    await().atMost(WAIT).until(() -> fedClient(ns, "c0").getStatus().getRoundsParticipated() == 2);

    storage.write("fedmllm", "runs/fed", snapshot("COMPLETED", 3, 3));
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() == FederationPhase.SUCCEEDED);
    assertEquals("s3://fedmllm/p/rounds/global-2.safetensors",
        federation(ns, "fed").getStatus().getLatestAdapter().getUri());
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") == null && pod(ns, "c0-trainer") == null
        && pod(ns, "c1-trainer") == null);
    await().atMost(WAIT).until(() -> fedClient(ns, "c1").getStatus().getPhase() == ClientPhase.COMPLETED);
    assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> "FederationSucceeded".equals(e.getReason())));

    edit(ns, "fed", f -> f.getSpec().setRounds(5));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);
    awaitFederation(ns, "fed", f -> "3/5".equals(f.getStatus().getProgress()));
  }

  @Test
  void raisedRoundsRunASucceededFederationAgainToTheNewTotalAndLoweredRoundsStartNothing() {
    String ns = namespace("continue");
    Federation fed = Fixtures.federation(ns, "fed");
    fed.getSpec().getStorage().setPrefix("continue/fed");
    create(fed);
    create(Fixtures.client(ns, "c0", "fed"));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);
    assertEquals("3", args(ns, "c0-trainer").get(args(ns, "c0-trainer").indexOf("--rounds") + 1));
    storage.write("fedmllm", "continue/fed", snapshot("COMPLETED", 3, 3));
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() == FederationPhase.SUCCEEDED);
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") == null && pod(ns, "c0-trainer") == null);

    edit(ns, "fed", f -> f.getSpec().setRounds(5));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);
    assertEquals("5", args(ns, "c0-trainer").get(args(ns, "c0-trainer").indexOf("--rounds") + 1),
        "the trainer waits for the continuation to 5 rounds");
    assertTrue(client.configMaps().inNamespace(ns).withName("fed-config").get().getData().get("federation.yaml")
        .contains("rounds: 5"));
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() == FederationPhase.PENDING
        && "3/5".equals(f.getStatus().getProgress()) && Conditions.find(f.getStatus().getConditions(),
            ConditionTypes.READY).map(c -> c.getMessage().startsWith("continuing after round 3 to 5 rounds"))
            .orElse(false));

    setPodPhase(ns, "fed-aggregator", "Running");
    setPodPhase(ns, "c0-trainer", "Running");
    storage.write("fedmllm", "continue/fed", snapshot("RUNNING", 4, 5, 1));
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() == FederationPhase.RUNNING
        && "4/5".equals(f.getStatus().getProgress()));
    storage.write("fedmllm", "continue/fed", snapshot("COMPLETED", 5, 5, 1));
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() == FederationPhase.SUCCEEDED
        && "5/5".equals(f.getStatus().getProgress()) && f.getStatus().getLatestAdapter().getRound() == 5);
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") == null && pod(ns, "c0-trainer") == null);
    await().atMost(WAIT).until(() -> fedClient(ns, "c0").getStatus().getPhase() == ClientPhase.COMPLETED);
    assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> "FederationSucceeded".equals(e.getReason()) && e.getMessage().startsWith("completed 5/5")),
        "succeeded again, at 5 rounds");

    edit(ns, "fed", f -> f.getSpec().setRounds(4));
    awaitFederation(ns, "fed", f -> "RoundsLowered".equals(readyReason(f)));
    assertEquals(FederationPhase.SUCCEEDED, federation(ns, "fed").getStatus().getPhase());
    assertEquals(null, pod(ns, "fed-aggregator"), "nothing runs for rounds that cannot be honoured");
    assertEquals(null, pod(ns, "c0-trainer"));
  }

  @Test
  void suspendRemovesPodsAndResumeRecreatesThem() {
    String ns = namespace("suspend");
    create(Fixtures.federation(ns, "fed"));
    create(Fixtures.client(ns, "c0", "fed"));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);

    edit(ns, "fed", f -> f.getSpec().setSuspend(true));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") == null && pod(ns, "c0-trainer") == null);
    awaitFederation(ns, "fed", x -> x.getStatus().getPhase() == FederationPhase.SUSPENDED);

    edit(ns, "fed", f -> f.getSpec().setSuspend(false));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);
  }

  @Test
  void clientWaitsForItsFederationAndStartsWhenItAppears() {
    String ns = namespace("late");
    create(Fixtures.client(ns, "early", "later"));
    await().atMost(WAIT).until(() -> {
      FederationClient c = fedClient(ns, "early");
      return c.getStatus() != null && Conditions.find(c.getStatus().getConditions(), ConditionTypes.FEDERATION_FOUND)
          .map(x -> x.getStatus() == ConditionStatus.FALSE && "NotFound".equals(x.getReason())).orElse(false);
    });
    assertEquals(null, pod(ns, "early-trainer"));

    create(Fixtures.federation(ns, "later"));
    await().atMost(WAIT).until(() -> pod(ns, "early-trainer") != null);
    await().atMost(WAIT).until(() -> Conditions.isTrue(fedClient(ns, "early").getStatus().getConditions(),
        ConditionTypes.FEDERATION_FOUND));
  }

  @Test
  void failedTrainerIsRecreatedAndCounted() {
    String ns = namespace("failing");
    create(Fixtures.federation(ns, "fed"));
    create(Fixtures.client(ns, "c0", "fed"));
    await().atMost(WAIT).until(() -> pod(ns, "c0-trainer") != null);
    String firstUid = pod(ns, "c0-trainer").getMetadata().getUid();

    setPodPhase(ns, "c0-trainer", "Failed");
    await().atMost(WAIT).until(() -> {
      FederationClient c = fedClient(ns, "c0");
      return c.getStatus() != null && Integer.valueOf(1).equals(c.getStatus().getTrainerRestarts());
    });
    await().atMost(WAIT).until(() -> pod(ns, "c0-trainer") != null
        && !firstUid.equals(pod(ns, "c0-trainer").getMetadata().getUid()));
    assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
        .anyMatch(e -> "TrainerFailed".equals(e.getReason())));
  }

  @Test
  void deletionRemovesTrainersAndHonoursTheRetainPolicy() {
    String ns = namespace("delete");
    Federation fed = Fixtures.federation(ns, "fed");
    fed.getSpec().getStorage().setRetainPolicy(RetainPolicy.DELETE);
    create(fed);
    create(Fixtures.client(ns, "c0", "fed"));
    await().atMost(WAIT).until(() -> pod(ns, "fed-aggregator") != null && pod(ns, "c0-trainer") != null);
    awaitFederation(ns, "fed", f -> f.getStatus().getPhase() != null);
    assertNotNull(meters.find(FederationGauges.ROUND).tag("namespace", ns).gauge());

    client.resource(federation(ns, "fed")).delete();
    await().atMost(WAIT).until(() -> federation(ns, "fed") == null);
    assertTrue(storage.deletedPrefixes().contains("fedmllm/delete/fed"));
    await().atMost(WAIT).until(() -> pod(ns, "c0-trainer") == null);
    assertEquals(null, meters.find(FederationGauges.ROUND).tag("namespace", ns).gauge());
    // The aggregator pod goes with its owner: the mock server has no garbage collector, a real one does.
    Pod aggregator = pod(ns, "fed-aggregator");
    if (aggregator != null) {
      assertNotEquals(null, aggregator.getMetadata().getOwnerReferences().get(0).getUid());
    }
  }
}
