package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fedmllm.storage.S3ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, part 3: faults on the real control plane. A trainer process killed mid-round (pod Failed, recreated by
 * the operator, federation still succeeds), the aggregator process killed (restarted in place by its OnFailure
 * policy, resumes from the last committed round with its FedAdam state), the operator killed and restarted mid-run
 * (no duplicate or recreated pods, status consistent), and deleting a Federation (pods removed; storage removed or
 * kept per retainPolicy).
 */
class FaultsIT {

  private static final String NS = "faults";
  private static final int ROUNDS = 20;
  private static FederationCluster cluster;

  @BeforeAll
  static void start() {
    cluster = FederationCluster.start("e2e-faults", 0);
    cluster.namespaceWithStorageSecret(NS, "fedmllm-storage");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void federationSurvivesTrainerAggregatorAndOperatorFailures() {
    String name = "survivor";
    // Enough rounds (a few seconds each here) that the federation is still running when the restarted operator is
    // checked, whatever the machine's speed: the check below fails loudly if it finished first.
    cluster.kubectlApply(manifest(name, ROUNDS, "Retain"));
    awaitRounds(name, 1);

    // 1. A trainer process dies mid-round: restartPolicy Never, so the pod fails and the operator recreates it.
    String trainer = name + "-0-trainer";
    String trainerUid = uid(trainer);
    assertTrue(cluster.agent().kill(NS, trainer), "trainer process was running");
    await(() -> !trainerUid.equals(uid(trainer)) && "Running".equals(phase(trainer)), Duration.ofMinutes(2),
        "trainer pod recreated and running after its process was killed");
    await(() -> restarts(name + "-0") >= 1, Duration.ofSeconds(60), "FederationClient counts the trainer restart");

    // 2. The aggregator process dies: OnFailure restarts it in place; it resumes from the last committed round.
    int before = completed(name);
    String aggregator = name + "-aggregator";
    assertTrue(cluster.agent().kill(NS, aggregator), "aggregator process was running");
    await(() -> containerRestarts(aggregator) >= 1 && "Running".equals(phase(aggregator)), Duration.ofMinutes(1),
        "aggregator restarted in place");
    awaitRounds(name, before + 1);

    // 3. The operator dies and a new one starts: it adopts the pods (same UIDs), no duplicates, status keeps going.
    Map<String, String> podsBefore = podUids(name);
    cluster.operator().kill();
    cluster.startOperator();
    await(() -> reconciledFederations(cluster.operator().metrics()) >= 1 && reconciled(name),
        Duration.ofMinutes(1), "the new operator reconciled the federation");
    assertTrue(completed(name) < ROUNDS, "the federation finished before the restarted operator could be checked"
        + " with its pods; raise ROUNDS");
    Map<String, String> podsAfter = podUids(name);
    assertEquals(podsBefore, podsAfter, "the restarted operator neither recreated nor duplicated pods");
    assertEquals(4, podsAfter.size(), "one aggregator and three trainers: " + podsAfter);

    GenericKubernetesResource done = cluster.awaitFederation(NS, name,
        f -> "Succeeded".equals(FederationCluster.phase(f)), Duration.ofMinutes(12), "Succeeded after the faults");
    assertEquals(ROUNDS, ((Number) FederationCluster.path(done, "status", "completedRounds")).intValue());
    assertEquals(done.getMetadata().getGeneration(),
        ((Number) FederationCluster.path(done, "status", "observedGeneration")).longValue());
    assertTrue(restarts(name + "-0") >= 1, "trainer restart still counted after the operator restart");
  }

  @Test
  void deletingFederationsRemovesPodsAndStoragePerRetainPolicy() throws Exception {
    cluster.kubectlApply(manifest("doomed", 50, "Delete"));
    cluster.kubectlApply(manifest("kept", 50, "Retain"));
    for (String name : List.of("doomed", "kept")) {
      awaitRounds(name, 1); // pods running, objects in storage
    }
    try (S3ObjectStore s3 = cluster.storage()) {
      assertTrue(s3.exists(NS + "/doomed/federation.json"));
      assertTrue(s3.exists(NS + "/kept/federation.json"));
      for (String name : List.of("doomed", "kept")) {
        cluster.plane().client().genericKubernetesResources(FederationCluster.FEDERATIONS).inNamespace(NS)
            .withName(name).delete();
      }
      for (String name : List.of("doomed", "kept")) {
        await(() -> cluster.federation(NS, name) == null, Duration.ofMinutes(1), name + " deleted");
        await(() -> podUids(name).isEmpty(), Duration.ofMinutes(1), name + "'s pods removed");
      }
      assertTrue(!s3.exists(NS + "/doomed/federation.json") && !s3.exists(NS + "/doomed/status.json"),
          "retainPolicy Delete removed the storage prefix");
      assertTrue(s3.exists(NS + "/kept/federation.json") && s3.exists(NS + "/kept/rounds/00000/round.json"),
          "retainPolicy Retain kept the checkpoints");
    }
  }

  /** Successful reconciliations of the federation controller, from the operator's JOSDK metrics. */
  private static double reconciledFederations(String metrics) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("reconciliations_success_total{") && line.contains("controller_name=\"federation\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The Federation's status was written by a reconcile of its current generation. */
  private static boolean reconciled(String name) {
    GenericKubernetesResource f = cluster.federation(NS, name);
    Object observed = f == null ? null : FederationCluster.path(f, "status", "observedGeneration");
    return observed instanceof Number n && n.longValue() == f.getMetadata().getGeneration();
  }

  private static String manifest(String name, int rounds, String retain) {
    try {
      return Files.readString(TestPaths.repo().resolve("cluster-tests/src/test/resources/e2e/faults-federation.yaml"))
          .replace("NAME", name).replace("ROUNDS", Integer.toString(rounds)).replace("RETAIN", retain)
          .replace("STORAGE_ENDPOINT", cluster.storeEndpoint());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void awaitRounds(String name, int rounds) {
    cluster.awaitFederation(NS, name, f -> completedOf(f) >= rounds, Duration.ofMinutes(8),
        rounds + " round(s) committed");
  }

  private static int completed(String name) {
    GenericKubernetesResource f = cluster.federation(NS, name);
    return f == null ? 0 : completedOf(f);
  }

  private static int completedOf(GenericKubernetesResource f) {
    Object c = FederationCluster.path(f, "status", "completedRounds");
    return c instanceof Number n ? n.intValue() : 0;
  }

  private static int restarts(String client) {
    GenericKubernetesResource c = cluster.plane().client().genericKubernetesResources(
        FederationCluster.FEDERATION_CLIENTS).inNamespace(NS).withName(client).get();
    Object r = c == null ? null : FederationCluster.path(c, "status", "trainerRestarts");
    return r instanceof Number n ? n.intValue() : 0;
  }

  private static Pod pod(String name) {
    return cluster.pod(NS, name);
  }

  private static String uid(String pod) {
    Pod p = pod(pod);
    return p == null ? "" : p.getMetadata().getUid();
  }

  private static String phase(String pod) {
    return cluster.podPhase(NS, pod);
  }

  private static int containerRestarts(String pod) {
    Pod p = pod(pod);
    return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty() ? 0
        : p.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  /** Name to UID of the federation's pods that are not being deleted. */
  private static Map<String, String> podUids(String federation) {
    Map<String, String> uids = new TreeMap<>();
    for (Pod p : cluster.plane().client().pods().inNamespace(NS).withLabel("fedmllm.io/federation", federation)
        .list().getItems()) {
      if (p.getMetadata().getDeletionTimestamp() == null) {
        uids.put(p.getMetadata().getName(), p.getMetadata().getUid());
      }
    }
    return uids;
  }

  private static void await(BooleanSupplier condition, Duration bound, String what) {
    cluster.await(NS, condition, bound, what);
  }
}
