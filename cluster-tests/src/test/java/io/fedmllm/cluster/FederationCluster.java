package io.fedmllm.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.storage.S3ObjectStore;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Everything the end-to-end tests run on: a real control plane (API server, etcd, scheduler, garbage collector),
 * the CRDs from crds/, S3Proxy on loopback as the federation's storage, one Node run by the {@link NodeAgent} (its
 * GPU count given), and the packaged operator in its own JVM.
 */
public final class FederationCluster implements AutoCloseable {

  /** The operator's default trainer/aggregator image; the node agent runs it as the locally built trainer jar. */
  public static final String TRAINER_IMAGE = "ghcr.io/fedmllm/trainer:0.1.0";
  /**
   * The operator's default image for trainers that request nvidia.com/gpu; the agent runs the same local jar (its
   * CPU natives see no GPU, so {@code spec.training.device: auto} trains on the CPU).
   */
  public static final String TRAINER_GPU_IMAGE = "ghcr.io/fedmllm/trainer:0.1.0-cu128";
  public static final String BUCKET = "fedmllm";
  public static final ResourceDefinitionContext FEDERATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("fedmllm.io").withVersion("v1alpha1").withKind("Federation").withPlural("federations")
      .withNamespaced(true).build();
  public static final ResourceDefinitionContext FEDERATION_CLIENTS = new ResourceDefinitionContext.Builder()
      .withGroup("fedmllm.io").withVersion("v1alpha1").withKind("FederationClient").withPlural("federationclients")
      .withNamespaced(true).build();

  private static final Map<String, String> OPERATOR_ENV = Map.of(
      "FEDMLLM_OPERATOR_STORAGE_RECHECK", "2s",
      "FEDMLLM_OPERATOR_TRAINER_BACKOFF_BASE", "1s");

  private final ControlPlane plane;
  private final EmbeddedObjectStore store;
  private final NodeAgent agent;
  private final Path dir;
  private OperatorProcess operator;
  private int operatorStarts;

  private FederationCluster(ControlPlane plane, EmbeddedObjectStore store, NodeAgent agent, Path dir) {
    this.plane = plane;
    this.store = store;
    this.agent = agent;
    this.dir = dir;
  }

  public static FederationCluster start(String name, int gpus) {
    ControlPlane plane = ControlPlane.withSchedulerAndControllers(name);
    EmbeddedObjectStore store = null;
    NodeAgent agent = null;
    try {
      applyCrds(plane);
      store = EmbeddedObjectStore.start(plane.dir().resolve("s3"), BUCKET, 0);
      agent = new NodeAgent(plane.client(), "node-0",
          Map.of("cpu", "32", "memory", "128Gi", "pods", "110", "nvidia.com/gpu", Integer.toString(gpus)),
          Map.of(TRAINER_IMAGE, TrainerImage.local(), TRAINER_GPU_IMAGE, TrainerImage.local()),
          plane.dir().resolve("node-0")).start();
      FederationCluster cluster = new FederationCluster(plane, store, agent, plane.dir());
      cluster.startOperator();
      return cluster;
    } catch (RuntimeException | IOException e) {
      if (agent != null) {
        agent.close();
      }
      if (store != null) {
        store.close();
      }
      plane.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  /** Applies crds/ (server-side) and waits until both CRDs are Established. */
  static void applyCrds(ControlPlane plane) {
    for (String crd : List.of("federations.fedmllm.io-v1.yml", "federationclients.fedmllm.io-v1.yml")) {
      try (var in = new FileInputStream(TestPaths.repo().resolve("crds").resolve(crd).toFile())) {
        List<HasMetadata> items = plane.client().load(in).items();
        plane.client().resourceList(items).serverSideApply();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String name : List.of("federations.fedmllm.io", "federationclients.fedmllm.io")) {
      plane.client().apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
              && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
          60, TimeUnit.SECONDS);
    }
  }

  /** Starts a (new) operator JVM against the API server, as a restarted operator pod would. */
  public void startOperator() {
    operatorStarts++;
    operator = OperatorProcess.start("operator-" + operatorStarts, plane.kubeconfig(), OPERATOR_ENV, dir);
  }

  public OperatorProcess operator() {
    return operator;
  }

  public ControlPlane plane() {
    return plane;
  }

  public NodeAgent agent() {
    return agent;
  }

  /** Creates (server-side applies) a namespace and a Secret holding this cluster's storage keys. */
  public void namespaceWithStorageSecret(String namespace, String secret) {
    plane.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(namespace).endMetadata().build()).serverSideApply();
    Map<String, String> keys = storeKeys();
    plane.client().secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName(secret).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", keys.get("AWS_ACCESS_KEY_ID"))
        .addToStringData("AWS_SECRET_ACCESS_KEY", keys.get("AWS_SECRET_ACCESS_KEY")).build()).serverSideApply();
  }

  /** The storage keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) for the federations' Secret. */
  public Map<String, String> storeKeys() {
    return store.childEnvironment();
  }

  public String storeEndpoint() {
    return store.settings().endpoint().toString();
  }

  public S3ObjectStore storage() {
    return store.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(20)));
  }

  /**
   * An example manifest made to run here: the in-cluster MinIO address becomes this S3Proxy's endpoint and the
   * placeholder keys its keys. Fails if the example no longer contains what is replaced.
   */
  public String example(String file) {
    String yaml = read(TestPaths.repo().resolve("examples").resolve(file));
    Map<String, String> keys = store.childEnvironment();
    Map<String, String> replace = new HashMap<>();
    replace.put("http://minio.minio.svc:9000", store.settings().endpoint().toString());
    replace.put("AWS_ACCESS_KEY_ID: fedmllm-demo", "AWS_ACCESS_KEY_ID: " + keys.get("AWS_ACCESS_KEY_ID"));
    replace.put("AWS_SECRET_ACCESS_KEY: change-me-to-a-real-secret",
        "AWS_SECRET_ACCESS_KEY: " + keys.get("AWS_SECRET_ACCESS_KEY"));
    for (Map.Entry<String, String> e : replace.entrySet()) {
      if (yaml.contains(e.getKey())) {
        yaml = yaml.replace(e.getKey(), e.getValue());
      }
    }
    return yaml;
  }

  /** {@code kubectl apply --server-side} of the given YAML, as a user would; returns kubectl's output. */
  public String kubectlApply(String yaml) {
    return kubectl(yaml, "apply", "--server-side", "-f", "-");
  }

  public String kubectl(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ClusterBinaries.ensure().path("KUBECTL").toString());
    cmd.add("--kubeconfig");
    cmd.add(plane.kubeconfig().toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public GenericKubernetesResource federation(String namespace, String name) {
    return plane.client().genericKubernetesResources(FEDERATIONS).inNamespace(namespace).withName(name).get();
  }

  /** Waits (bounded) until the Federation satisfies {@code condition}; the failure names its last status. */
  public GenericKubernetesResource awaitFederation(String namespace, String name,
      Predicate<GenericKubernetesResource> condition, Duration bound, String what) {
    long deadline = System.nanoTime() + bound.toNanos();
    GenericKubernetesResource last = null;
    while (System.nanoTime() < deadline) {
      last = federation(namespace, name);
      if (last != null && condition.test(last)) {
        return last;
      }
      if (!operator.alive()) {
        throw new AssertionError("operator died while waiting for " + what + ":\n" + operator.tail(40));
      }
      Sleep.millis(1000);
    }
    throw new AssertionError("federation " + namespace + "/" + name + " not " + what + " within " + bound
        + "; status: " + (last == null ? "(gone)" : last.get("status")) + "\npods: " + pods(namespace));
  }

  public Pod pod(String namespace, String name) {
    return plane.client().pods().inNamespace(namespace).withName(name).get();
  }

  /** The pod's phase, or "" when it does not exist (yet). */
  public String podPhase(String namespace, String name) {
    Pod p = pod(namespace, name);
    return p == null || p.getStatus() == null ? "" : p.getStatus().getPhase();
  }

  /**
   * Waits (bounded, polling every 500 ms) until {@code condition} holds; the failure names what was awaited, the
   * namespace's pods and the operator's last log lines.
   */
  public void await(String namespace, java.util.function.BooleanSupplier condition, Duration bound, String what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + bound + "; pods:" + pods(namespace)
            + "\noperator log tail:\n" + operator.tail(15));
      }
      Sleep.millis(500);
    }
  }

  /** Name, phase and node of every pod in the namespace (for failure messages). */
  public String pods(String namespace) {
    StringBuilder b = new StringBuilder();
    for (Pod p : plane.client().pods().inNamespace(namespace).list().getItems()) {
      b.append("\n  ").append(p.getMetadata().getName()).append(' ')
          .append(p.getStatus() == null ? "?" : p.getStatus().getPhase()).append(" node=")
          .append(p.getSpec().getNodeName()).append(" deleting=")
          .append(p.getMetadata().getDeletionTimestamp() != null);
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  public static Object path(GenericKubernetesResource r, String... keys) {
    Object node = r.getAdditionalProperties();
    for (String k : keys) {
      if (!(node instanceof Map)) {
        return null;
      }
      node = ((Map<String, Object>) node).get(k);
    }
    return node;
  }

  public static String phase(GenericKubernetesResource r) {
    Object p = path(r, "status", "phase");
    return p == null ? null : p.toString();
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    agent.close();
    store.close();
    plane.close();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
