package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.storage.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 on the real control plane: a Federation is applied, then its four FederationClients one by one over a
 * minute (as {@code kubectl apply} of many objects or GitOps sync waves deliver them), and the first of them is deleted
 * while the federation runs, before the last one is applied (so rounds are left after the deletion whatever the
 * machine's speed). The aggregator pod is never recreated (one UID from start to end), every client is sampled,
 * a joining client is in the pool from the next round, the deleted one leaves it and nothing waits for it, and the
 * federation completes. Round 0 starts by its start policy's timeout with the clients there.
 */
class MembershipIT {

  private static final String NS = "members";
  private static final String NAME = "waves";
  private static final int CLIENTS = 4;
  // rounds take 2-4 s here (polling dominates): enough that the last client, applied a minute in, still trains
  private static final int ROUNDS = 22;
  private static final Duration BETWEEN_CLIENTS = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static FederationCluster cluster;

  @BeforeAll
  static void start() {
    cluster = FederationCluster.start("e2e-members", 0);
    cluster.namespaceWithStorageSecret(NS, "fedmllm-storage");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void clientsAppliedOneByOneJoinAndADeletedOneLeavesWithoutRecreatingTheAggregator() throws Exception {
    String aggregator = NAME + "-aggregator";
    Set<String> aggregatorUids = ConcurrentHashMap.newKeySet();
    try (SharedIndexInformer<Pod> pods = cluster.plane().client().pods().inNamespace(NS).withName(aggregator)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            aggregatorUids.add(pod.getMetadata().getUid());
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            aggregatorUids.add(pod.getMetadata().getUid());
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {}
        });
        S3ObjectStore s3 = cluster.storage()) {
      String leaving = NAME + "-0";
      long started = System.currentTimeMillis();
      long deleted = 0;
      cluster.kubectlApply(federation());
      for (int i = 0; i < CLIENTS; i++) {
        if (i > 0) {
          Sleep.millis(Math.max(0, started + i * BETWEEN_CLIENTS.toMillis() - System.currentTimeMillis()));
          assertFalse("Succeeded".equals(FederationCluster.phase(cluster.federation(NS, NAME))),
              "the federation ended before client " + i + " was applied; raise ROUNDS");
        }
        if (i == CLIENTS - 1) {
          String before = NAME + "-" + (i - 1);
          cluster.await(NS, () -> trainedIn(s3, before), Duration.ofMinutes(2), before + " trained in a round");
          cluster.kubectl(null, "-n", NS, "delete", "federationclient", leaving, "--wait=false");
          deleted = System.currentTimeMillis();
        }
        cluster.kubectlApply(client(i));
      }
      String last = NAME + "-" + (CLIENTS - 1);
      cluster.awaitFederation(NS, NAME, f -> "Succeeded".equals(FederationCluster.phase(f)),
          Duration.ofMinutes(4), "Succeeded after the clients joined and one left");
      double afterDeletion = (System.currentTimeMillis() - deleted) / 1000.0;
      assertTrue(trainedIn(s3, last), last + ", applied a minute in, trained before the federation ended; raise "
          + "ROUNDS");

      List<RoundManifest> rounds = committed(s3);
      assertEquals(ROUNDS, rounds.size());
      TreeSet<String> trained = new TreeSet<>();
      rounds.forEach(r -> trained.addAll(r.accepted()));
      assertEquals(new TreeSet<>(clientNames()), trained, "every client was sampled and trained at least once");

      // the pools grow as clients join (a joining client is pooled from the next round) and lose the deleted one once
      int firstWithout = -1;
      for (int r = 0; r < rounds.size(); r++) {
        RoundManifest round = rounds.get(r);
        assertTrue(round.pool().containsAll(round.sampled()), "round " + r + ": sampled from its pool");
        assertEquals(round.pool(), round.sampled(), "round " + r + ": every member is sampled");
        if (r == 0) {
          continue;
        }
        List<String> left = rounds.get(r - 1).pool().stream().filter(c -> !round.pool().contains(c)).toList();
        if (firstWithout < 0 && !left.isEmpty()) {
          firstWithout = r;
          assertEquals(List.of(leaving), left, "round " + r + ": only the deleted client left");
        } else {
          assertEquals(List.of(), left, "round " + r + ": nobody else left");
        }
      }
      assertTrue(rounds.get(0).pool().size() < CLIENTS,
          "round 0 started by its start policy's timeout, before every client existed: " + rounds.get(0).pool());
      assertTrue(firstWithout > 0, "a round after the deletion has the deleted client out of its pool");
      for (int r = firstWithout; r < rounds.size(); r++) {
        assertFalse(rounds.get(r).pool().contains(leaving), "round " + r + " pools the deleted client");
        assertFalse(rounds.get(r).sampled().contains(leaving), "round " + r + " samples the deleted client");
      }
      // a 10-minute round deadline: had any round waited for the deleted client, the rest would not fit in this
      assertTrue(afterDeletion < 240, "rounds after the deletion took " + afterDeletion + " s");
      for (RoundManifest r : rounds) {
        assertTrue(r.roundSeconds() < 120, "round " + r.round() + " took " + r.roundSeconds() + " s");
      }

      assertEquals(1, aggregatorUids.size(), "the aggregator pod was never recreated: " + aggregatorUids);
      Object history = FederationCluster.path(cluster.federation(NS, NAME), "status", "history");
      assertTrue(history instanceof List<?> h && !h.isEmpty() && h.stream()
          .allMatch(e -> e instanceof Map<?, ?> m && m.get("poolSize") instanceof Number),
          "status.history shows each round's pool size: " + history);
    }
  }

  private static boolean trainedIn(S3ObjectStore s3, String client) {
    return committed(s3).stream().anyMatch(r -> r.accepted().contains(client));
  }

  /** Every committed round.json, probed by key from round 0 (never by listing). */
  private static List<RoundManifest> committed(S3ObjectStore s3) {
    List<RoundManifest> rounds = new ArrayList<>();
    for (int r = 0; ; r++) {
      var bytes = s3.get(String.format("%s/%s/rounds/%05d/round.json", NS, NAME, r));
      if (bytes.isEmpty()) {
        return rounds;
      }
      try {
        rounds.add(JSON.readValue(bytes.get(), RoundManifest.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static List<String> clientNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      names.add(NAME + "-" + i);
    }
    return names;
  }

  private static String federation() {
    return resource("membership-federation.yaml").replace("NAME", NAME).replace("ROUNDS", Integer.toString(ROUNDS))
        .replace("START_CLIENTS", Integer.toString(CLIENTS)).replace("START_TIMEOUT", "20s")
        .replace("STORAGE_ENDPOINT", cluster.storeEndpoint());
  }

  private static String client(int index) {
    return resource("membership-client.yaml").replace("NAME", NAME).replace("INDEX", Integer.toString(index));
  }

  private static String resource(String file) {
    try {
      return Files.readString(TestPaths.repo().resolve("cluster-tests/src/test/resources/e2e/" + file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
