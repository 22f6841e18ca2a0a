package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, part 2 (GPUs): the Node has two {@code nvidia.com/gpu}; federation "first" runs two GPU trainers, then
 * federation "second" asks for a third GPU. The real scheduler leaves that trainer Pending with its reason
 * (Insufficient nvidia.com/gpu) until "first" succeeds and the operator removes its pods; then it is bound, runs, and
 * "second" succeeds too.
 */
class GpuSchedulingIT {

  private static final String NS = "gpu";
  private static FederationCluster cluster;

  @BeforeAll
  static void start() {
    cluster = FederationCluster.start("e2e-gpu", 2);
    cluster.namespaceWithStorageSecret(NS, "fedmllm-storage");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void thirdGpuTrainerWaitsForAFreeGpuThenRuns() {
    cluster.kubectlApply(federation("first", 2, 2));
    await(() -> "Running".equals(phase("first-0-trainer")) && "Running".equals(phase("first-1-trainer")),
        Duration.ofMinutes(2), "both GPU trainers of 'first' running");
    assertEquals(FederationCluster.TRAINER_GPU_IMAGE,
        pod("first-0-trainer").getSpec().getContainers().get(0).getImage(), "a GPU trainer runs the GPU image");

    cluster.kubectlApply(federation("second", 1, 1));
    await(() -> unschedulable("second-0-trainer").isPresent(), Duration.ofMinutes(1),
        "the third GPU trainer reported unschedulable by the scheduler");
    String reason = unschedulable("second-0-trainer").orElseThrow();
    assertTrue(reason.contains("Insufficient nvidia.com/gpu"), "scheduler's reason: " + reason);
    assertEquals(null, pod("second-0-trainer").getSpec().getNodeName(), "not bound while both GPUs are taken");

    cluster.awaitFederation(NS, "first", f -> "Succeeded".equals(FederationCluster.phase(f)), Duration.ofMinutes(8),
        "'first' Succeeded");
    await(() -> pod("second-0-trainer") != null && "node-0".equals(pod("second-0-trainer").getSpec().getNodeName()),
        Duration.ofMinutes(2), "the waiting trainer bound once 'first' freed its GPUs");
    cluster.awaitFederation(NS, "second", f -> "Succeeded".equals(FederationCluster.phase(f)), Duration.ofMinutes(8),
        "'second' Succeeded");
  }

  private static String federation(String name, int clients, int minClients) {
    try {
      Path dir = TestPaths.repo().resolve("cluster-tests/src/test/resources/e2e");
      StringBuilder yaml = new StringBuilder(Files.readString(dir.resolve("gpu-federation.yaml"))
          .replace("MINCLIENTS", Integer.toString(minClients)));
      String client = Files.readString(dir.resolve("gpu-client.yaml"));
      for (int i = 0; i < clients; i++) {
        yaml.append(client.replace("INDEX", Integer.toString(i)).replace("CLIENTS", Integer.toString(clients)));
      }
      return yaml.toString().replace("NAME", name).replace("STORAGE_ENDPOINT", cluster.storeEndpoint());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scheduler's message when it could not place the pod. */
  private static Optional<String> unschedulable(String name) {
    Pod p = pod(name);
    if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        return Optional.ofNullable(c.getMessage());
      }
    }
    return Optional.empty();
  }

  private static Pod pod(String name) {
    return cluster.pod(NS, name);
  }

  private static String phase(String name) {
    return cluster.podPhase(NS, name);
  }

  private static void await(BooleanSupplier condition, Duration bound, String what) {
    cluster.await(NS, condition, bound, what);
  }
}
