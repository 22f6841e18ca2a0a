package io.fedmllm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (issue #6, part 4) against one real API server: it lints and renders in both RBAC modes, the API
 * server accepts everything it renders (server-side apply, strict field validation), the packaged operator does its
 * job with nothing but the chart's RBAC (a token of the chart's ServiceAccount, the env of the chart's Deployment),
 * that ServiceAccount cannot read Secrets the chart does not grant, and two replicas elect one leader.
 *
 * <p>ServiceMonitor and PodMonitor need the prometheus-operator CRDs, which are not available offline. The test
 * installs minimal stand-ins for them (group, kind, scope, any spec) rather than rendering the chart without them: so
 * the two templates still render, parse, and reach the API server with the right group/version/kind, namespace and
 * labels. Their spec is not checked against prometheus-operator's schema.
 */
class HelmChartIT {

  private static final Path CHART = TestPaths.repo().resolve("charts/fedmllm-operator");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DEMO = "fedmllm-demo";
  private static final String FIELD_MANAGER = "helm-chart-it";

  /** Every namespace on the default install: a ClusterRole, bound cluster-wide; monitoring objects on. */
  private static final Release CLUSTER_ALL = new Release("all", "fedmllm-all",
      List.of("serviceMonitor.enabled=true", "podMonitor.enabled=true", "grafanaDashboard.enabled=true"));
  /** Cluster scope, one watched namespace: the ClusterRole bound by a RoleBinding there only. */
  private static final Release CLUSTER_LISTED = new Release("listed", "fedmllm-listed",
      List.of("watchNamespaces={" + DEMO + "}"));
  /**
   * Namespaced: Roles in the watched namespace only, one Secret by name, two replicas. The short lease timings keep
   * the fail-over check quick.
   */
  private static final Release NAMESPACED = new Release("fedmllm-operator", "fedmllm-system", List.of(
      "rbac.scope=namespaced", "watchNamespaces={" + DEMO + "}", "rbac.secretNames={fedmllm-storage}",
      "replicaCount=2", "leaderElection.leaseDuration=6s", "leaderElection.renewDeadline=4s",
      "leaderElection.retryPeriod=1s"));

  private static final String MONITORING_CRDS = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: servicemonitors.monitoring.coreos.com
      spec:
        group: monitoring.coreos.com
        scope: Namespaced
        names: {kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: podmonitors.monitoring.coreos.com
      spec:
        group: monitoring.coreos.com
        scope: Namespaced
        names: {kind: PodMonitor, listKind: PodMonitorList, plural: podmonitors, singular: podmonitor}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  private static final ResourceDefinitionContext FEDERATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("fedmllm.io").withVersion("v1alpha1").withKind("Federation").withPlural("federations")
      .withNamespaced(true).build();
  private static final ResourceDefinitionContext FEDERATION_CLIENTS = new ResourceDefinitionContext.Builder()
      .withGroup("fedmllm.io").withVersion("v1alpha1").withKind("FederationClient").withPlural("federationclients")
      .withNamespaced(true).build();

  private static ControlPlane plane;
  private static Path work;
  private static boolean installed;

  /** One chart installation: release name, namespace, --set values. */
  private record Release(String name, String namespace, List<String> values) {
  }

  @BeforeAll
  static void startControlPlane() throws IOException {
    plane = ControlPlane.apiServerOnly("helm-chart");
    work = Files.createDirectories(plane.dir().resolve("helm"));
    try (var old = Files.list(work)) { // the logs of an earlier run (operator logs are appended to)
      for (Path f : old.filter(Files::isRegularFile).toList()) {
        Files.delete(f);
      }
    }
  }

  @AfterAll
  static void stopControlPlane() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void lintsAndRendersInBothRbacModes() {
    for (Release r : List.of(new Release("defaults", "default", List.of()), CLUSTER_ALL, CLUSTER_LISTED, NAMESPACED)) {
      List<String> lint = new ArrayList<>(List.of(helm(), "lint", "--strict", CHART.toString(),
          "--namespace", r.namespace(), "--kube-version", kubeVersion()));
      r.values().forEach(v -> lint.addAll(List.of("--set", v)));
      run(lint, "lint-" + r.name());
    }

    Map<String, List<HasMetadata>> byKind = byKind(render(CLUSTER_ALL));
    assertEquals(1, byKind.get("ClusterRole").size());
    assertEquals(1, byKind.get("ClusterRoleBinding").size());
    assertTrue(byKind.containsKey("ServiceMonitor") && byKind.containsKey("PodMonitor"), byKind.keySet().toString());
    assertSecretsRule(byKind.get("ClusterRole").get(0), List.of());

    byKind = byKind(render(CLUSTER_LISTED));
    assertEquals(1, byKind.get("ClusterRole").size());
    assertFalse(byKind.containsKey("ClusterRoleBinding"), "a namespace list must not bind cluster-wide");
    assertEquals(Set.of(DEMO + "/RoleBinding/ClusterRole", CLUSTER_LISTED.namespace() + "/RoleBinding/Role"),
        bindings(byKind));

    byKind = byKind(render(NAMESPACED));
    assertFalse(byKind.containsKey("ClusterRole"));
    assertFalse(byKind.containsKey("ClusterRoleBinding"));
    assertEquals(Set.of(DEMO + "/RoleBinding/Role", NAMESPACED.namespace() + "/RoleBinding/Role"),
        bindings(byKind));
    Role operatorRole = (Role) byKind.get("Role").stream()
        .filter(r -> r.getMetadata().getNamespace().equals(DEMO)).findFirst().orElseThrow();
    assertSecretsRule(operatorRole, List.of("fedmllm-storage"));
    Role leaseRole = (Role) byKind.get("Role").stream()
        .filter(r -> r.getMetadata().getNamespace().equals(NAMESPACED.namespace())).findFirst().orElseThrow();
    assertEquals(List.of("coordination.k8s.io"), leaseRole.getRules().get(0).getApiGroups());
    assertEquals(List.of("leases"), leaseRole.getRules().get(0).getResources());
    assertEquals(Set.of("get", "create", "update", "patch"),
        Set.copyOf(leaseRole.getRules().get(0).getVerbs()));
    Deployment deployment = (Deployment) byKind.get("Deployment").get(0);
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());

    // Without leader election: one replica at a time, and no Lease permissions.
    byKind = byKind(render(new Release("single", "single", List.of("leaderElection.enabled=false"))));
    assertEquals("Recreate", ((Deployment) byKind.get("Deployment").get(0)).getSpec().getStrategy().getType());
    assertEquals(0, byKind.getOrDefault("Role", List.of()).size());
    // ... and more than one replica is refused.
    Tool refused = tool(List.of(helm(), "template", "x", CHART.toString(), "--set", "replicaCount=2",
        "--set", "leaderElection.enabled=false"), "template-refused");
    assertNotEquals(0, refused.exit(), "replicaCount=2 without leader election must be rejected");
    assertTrue(refused.output().contains("leaderElection"), refused.output());
  }

  @Test
  void renderedManifestsAreAcceptedWithServerSideApply() {
    install();
    for (Release r : List.of(CLUSTER_ALL, CLUSTER_LISTED, NAMESPACED)) {
      // Every rendered object is there, as rendered (kubectl get -f fails on any missing one).
      Path file = work.resolve(r.name() + ".yaml");
      Tool got = run(List.of(kubectl(), "--kubeconfig", plane.kubeconfig().toString(), "get", "-f", file.toString(),
          "-o", "name"), "get-" + r.name());
      assertEquals(load(read(file)).size(), got.output().strip().lines().count(), got.output());
    }
    assertNotNull(plane.client().apiextensions().v1().customResourceDefinitions()
        .withName("federations.fedmllm.io").get());
  }

  @Test
  void serviceAccountsCannotReadSecretsTheChartDoesNotGrant() {
    install();
    try (KubernetesClient sa = serviceAccountClient(NAMESPACED)) {
      assertAllowed(sa, true, "get", "secrets", DEMO, "fedmllm-storage"); // the one it needs
      assertAllowed(sa, false, "get", "secrets", DEMO, "other-secret"); // rbac.secretNames narrows by name
      assertAllowed(sa, false, "list", "secrets", DEMO, null);
      assertAllowed(sa, false, "watch", "secrets", DEMO, null);
      assertAllowed(sa, false, "get", "secrets", NAMESPACED.namespace(), "fedmllm-storage"); // its own, unwatched
      assertAllowed(sa, false, "get", "secrets", "kube-system", "fedmllm-storage");
      assertAllowed(sa, false, "get", "secrets", "default", "fedmllm-storage");
      assertAllowed(sa, false, "list", "secrets", "", null);
      assertAllowed(sa, false, "create", "pods", "default", null);
      assertAllowed(sa, true, "patch", "leases", NAMESPACED.namespace(), "fedmllm-operator");
      assertAllowed(sa, false, "patch", "leases", "kube-system", "kube-scheduler");
    }
    try (KubernetesClient sa = serviceAccountClient(CLUSTER_LISTED)) {
      assertAllowed(sa, true, "get", "secrets", DEMO, "fedmllm-storage");
      assertAllowed(sa, false, "get", "secrets", "kube-system", "fedmllm-storage");
      assertAllowed(sa, false, "get", "secrets", CLUSTER_LISTED.namespace(), "fedmllm-storage");
      assertAllowed(sa, false, "list", "secrets", DEMO, null);
      assertAllowed(sa, false, "list", "pods", "", null);
      assertAllowed(sa, false, "create", "pods", "default", null);
    }
    try (KubernetesClient sa = serviceAccountClient(CLUSTER_ALL)) {
      // Watching every namespace needs get on Secrets everywhere (rbac.secretNames narrows it); never more.
      assertAllowed(sa, true, "get", "secrets", DEMO, "fedmllm-storage");
      for (String verb : List.of("list", "watch", "create", "update", "patch", "delete")) {
        assertAllowed(sa, false, verb, "secrets", "", null);
        assertAllowed(sa, false, verb, "secrets", "kube-system", null);
      }
      assertAllowed(sa, false, "patch", "leases", "kube-system", "kube-controller-manager");
      assertAllowed(sa, false, "create", "pods/exec", DEMO, null);
    }
  }

  @Test
  void operatorWorksUnderTheChartsRbacWithOneLeader() {
    install();
    Deployment deployment = (Deployment) load(read(work.resolve(NAMESPACED.name() + ".yaml"))).stream()
        .filter(o -> o instanceof Deployment).findFirst().orElseThrow();
    String leaseName = envOf(deployment, "ignored").get("FEDMLLM_OPERATOR_LEADER_ELECTION_LEASE_NAME");
    String token = token(NAMESPACED);
    Path kubeconfig = plane.tokenKubeconfig(serviceAccount(NAMESPACED), token);
    KubernetesClient admin = plane.client();

    Map<String, OperatorProcess> replicas = new LinkedHashMap<>();
    try {
      for (String pod : List.of("fedmllm-operator-a", "fedmllm-operator-b")) {
        replicas.put(pod, OperatorProcess.start(pod, kubeconfig, envOf(deployment, pod), work));
      }
      String leader = await("a Lease holder", () -> holder(leaseName));
      assertTrue(replicas.containsKey(leader), "Lease held by " + leader);
      String standby = replicas.keySet().stream().filter(p -> !p.equals(leader)).findFirst().orElseThrow();

      run(List.of(kubectl(), "--kubeconfig", plane.kubeconfig().toString(), "apply", "--server-side",
          "--field-manager=" + FIELD_MANAGER, "-f", TestPaths.repo().resolve("examples/k8s-cpu-federation.yaml")
              .toString()), "apply-federation");

      // The operator's job: the aggregator pod, its metrics Service and ConfigMap, one trainer pod per client (in a
      // namespace that enforces the restricted Pod Security level: the API server admitted them). No scheduler: they
      // stay Pending.
      List<String> trainers = List.of("hateful-cpu-0-trainer", "hateful-cpu-1-trainer", "hateful-cpu-2-trainer");
      await("the federation's children", () -> admin.pods().inNamespace(DEMO).withName("hateful-cpu-aggregator")
          .get() != null && admin.services().inNamespace(DEMO).withName("hateful-cpu-metrics").get() != null
          && admin.configMaps().inNamespace(DEMO).withName("hateful-cpu-config").get() != null
          && trainers.stream().allMatch(t -> admin.pods().inNamespace(DEMO).withName(t).get() != null));
      Pod aggregator = admin.pods().inNamespace(DEMO).withName("hateful-cpu-aggregator").get();
      assertEquals("Federation", aggregator.getMetadata().getOwnerReferences().get(0).getKind());
      ConfigMap config = admin.configMaps().inNamespace(DEMO).withName("hateful-cpu-config").get();
      assertFalse(config.getData().isEmpty());

      // Status written, storage failing on the (unreachable) endpoint, not on reading the Secret.
      GenericKubernetesResource federation = await("the Federation's status", () -> {
        GenericKubernetesResource f = admin.genericKubernetesResources(FEDERATIONS).inNamespace(DEMO)
            .withName("hateful-cpu").get();
        return statusOf(f).get("phase") != null && statusOf(f).get("conditions") != null ? f : null;
      });
      Map<String, Object> status = statusOf(federation);
      assertEquals(federation.getMetadata().getGeneration(), ((Number) status.get("observedGeneration")).longValue());
      Map<String, Object> storage = condition(status, "StorageReady");
      assertNotNull(storage, "StorageReady condition in " + status);
      assertFalse(String.valueOf(storage.get("message")).toLowerCase().contains("forbidden"),
          "the operator could not read its Secret: " + storage);
      await("the clients' status", () -> admin.genericKubernetesResources(FEDERATION_CLIENTS).inNamespace(DEMO)
          .list().getItems().stream().allMatch(c -> statusOf(c).get("phase") != null) ? true : null);

      // kubectl's columns: in the intended order, with the status values.
      String fed = run(List.of(kubectl(), "--kubeconfig", plane.kubeconfig().toString(), "-n", DEMO, "get", "fed"),
          "get-fed").output();
      assertEquals(List.of("NAME", "PHASE", "ROUND", "CLIENTS", "METRIC", "AGE"), words(fed.lines().findFirst()
          .orElseThrow()), fed);
      List<String> row = words(fed.lines().skip(1).findFirst().orElseThrow());
      assertEquals(List.of("hateful-cpu", String.valueOf(status.get("phase"))), row.subList(0, 2), fed);
      if (status.get("progress") != null) {
        assertEquals(status.get("progress"), row.get(2), fed);
      }
      String clients = run(List.of(kubectl(), "--kubeconfig", plane.kubeconfig().toString(), "-n", DEMO, "get",
          "fedclient"), "get-fedclient").output();
      assertEquals(List.of("NAME", "FEDERATION", "PHASE", "ROUNDS", "RESTARTS", "AGE"),
          words(clients.lines().findFirst().orElseThrow()), clients);
      assertEquals("hateful-cpu", words(clients.lines().skip(1).findFirst().orElseThrow()).get(1), clients);

      // Only the leader reconciles; the standby is ready (OperatorProcess.start waited for it) but idle: JOSDK never
      // started its event processing, and it has no gauges of the Federation (FederationReconciler sets them).
      assertEquals(leader, holder(leaseName));
      assertTrue(processing(replicas.get(leader)), "the leader did not start event processing");
      assertTrue(reconciled(replicas.get(leader)), "the leader has no gauges of the Federation");
      assertFalse(processing(replicas.get(standby)), "the standby started event processing");
      assertFalse(reconciled(replicas.get(standby)), "the standby reconciled the Federation");
      Lease before = lease(leaseName);
      System.out.printf("leader %s, standby %s; Lease %s/%s: holder %s, transitions %s, duration %ss%n", leader,
          standby, NAMESPACED.namespace(), leaseName, before.getSpec().getHolderIdentity(),
          before.getSpec().getLeaseTransitions(), before.getSpec().getLeaseDurationSeconds());

      // The leader dies: the standby takes the Lease once it expires, and reconciles from then on.
      replicas.get(leader).kill();
      String uid = admin.services().inNamespace(DEMO).withName("hateful-cpu-metrics").get().getMetadata().getUid();
      long killed = System.nanoTime();
      await("the standby to take the Lease", () -> standby.equals(holder(leaseName)) ? true : null);
      double takeover = (System.nanoTime() - killed) / 1e9;
      admin.services().inNamespace(DEMO).withName("hateful-cpu-metrics").delete();
      Service recreated = await("the new leader to recreate the metrics Service", () -> {
        Service s = admin.services().inNamespace(DEMO).withName("hateful-cpu-metrics").get();
        return s != null && !uid.equals(s.getMetadata().getUid()) ? s : null;
      });
      assertNotNull(recreated);
      assertTrue(processing(replicas.get(standby)) && reconciled(replicas.get(standby)),
          "the new leader did not reconcile");
      Lease after = lease(leaseName);
      assertTrue(transitions(after) > transitions(before), "no Lease transition");
      System.out.printf("after killing %s: holder %s after %.1f s, transitions %s%n", leader,
          after.getSpec().getHolderIdentity(), takeover, after.getSpec().getLeaseTransitions());

      // A leader that is stopped (SIGTERM, as in a rolling update) exits by itself, promptly: losing the Lease on the
      // way out must not end in System.exit inside the shutdown hook, which would hang until SIGKILL. (fabric8's
      // elector is meant to release the Lease then; the 7.5.2 one does not here, so that is only printed.)
      long stopping = System.nanoTime();
      replicas.get(standby).close();
      double stopped = (System.nanoTime() - stopping) / 1e9;
      assertTrue(replicas.get(standby).tail(20).contains("fedmllm-operator stopped in"),
          "no orderly stop:\n" + replicas.get(standby).tail(20));
      assertTrue(stopped < 10, "stopping took " + stopped + " s");
      System.out.printf("%s stopped in %.1f s; Lease now %s%n", standby, stopped, lease(leaseName).getSpec());
    } finally {
      replicas.values().forEach(OperatorProcess::close);
    }
  }

  // --- installation ---------------------------------------------------------------------------------------------

  /** Applies the chart's CRDs, the monitoring stand-ins, the example namespace and Secret, then all three releases. */
  private static synchronized void install() {
    if (installed) {
      return;
    }
    KubernetesClient admin = plane.client();
    Path monitoring = write("monitoring-crds.yaml", MONITORING_CRDS);
    // Helm installs crds/ as they are (never templated): apply that directory.
    apply(CHART.resolve("crds"), "crds");
    apply(monitoring, "monitoring-crds");
    for (String crd : List.of("federations.fedmllm.io", "federationclients.fedmllm.io",
        "servicemonitors.monitoring.coreos.com", "podmonitors.monitoring.coreos.com")) {
      admin.apiextensions().v1().customResourceDefinitions().withName(crd).waitUntilCondition(c ->
          c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
              .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
          WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    // The watched namespace and the storage Secret (applied as users do, before installing the operator).
    apply(TestPaths.repo().resolve("examples/k8s-namespace-and-storage.yaml"), "example-namespace");
    // A second Secret there, which rbac.secretNames does not name.
    admin.secrets().inNamespace(DEMO).resource(new SecretBuilder()
        .withNewMetadata().withName("other-secret").endMetadata().addToStringData("k", "v").build()).create();
    for (Release r : List.of(CLUSTER_ALL, CLUSTER_LISTED, NAMESPACED)) {
      // helm install --create-namespace does this; the rendered manifests hold no Namespace.
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(r.namespace()).endMetadata()
          .build()).serverSideApply();
      render(r);
      apply(work.resolve(r.name() + ".yaml"), "apply-" + r.name());
    }
    installed = true;
  }

  /** {@code helm template} of a release into {@code <work>/<release>.yaml}; the parsed objects. */
  private static List<HasMetadata> render(Release r) {
    List<String> cmd = new ArrayList<>(List.of(helm(), "template", r.name(), CHART.toString(),
        "--namespace", r.namespace(), "--kube-version", kubeVersion()));
    r.values().forEach(v -> cmd.addAll(List.of("--set", v)));
    String yaml = run(cmd, "template-" + r.name()).output();
    write(r.name() + ".yaml", yaml);
    return load(yaml);
  }

  private static void apply(Path file, String log) {
    run(List.of(kubectl(), "--kubeconfig", plane.kubeconfig().toString(), "apply", "--server-side",
        "--validate=strict", "--field-manager=" + FIELD_MANAGER, "-f", file.toString()), log);
  }

  // --- the chart's ServiceAccounts and Deployment -----------------------------------------------------------------

  private static String serviceAccount(Release r) {
    return load(read(work.resolve(r.name() + ".yaml"))).stream().filter(o -> o instanceof ServiceAccount)
        .map(o -> o.getMetadata().getName()).findFirst().orElseThrow();
  }

  /** A token of the release's ServiceAccount (TokenRequest API), as the kubelet would mount it. */
  private static String token(Release r) {
    return plane.client().serviceAccounts().inNamespace(r.namespace()).withName(serviceAccount(r))
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
  }

  private static KubernetesClient serviceAccountClient(Release r) {
    Path kubeconfig = plane.tokenKubeconfig(serviceAccount(r), token(r));
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
  }

  /**
   * The operator container's env as the chart's Deployment sets it, with the downward API resolved as the kubelet
   * would for a pod named {@code pod}.
   */
  private static Map<String, String> envOf(Deployment deployment, String pod) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom().getFieldRef() != null) {
        String path = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(e.getName(), switch (path) {
          case "metadata.namespace" -> deployment.getMetadata().getNamespace();
          case "metadata.name" -> pod;
          default -> throw new IllegalStateException("unexpected fieldRef " + path + " of " + e.getName());
        });
      } else {
        throw new IllegalStateException("unexpected valueFrom of " + e.getName());
      }
    }
    return env;
  }

  // --- what the tests look at -------------------------------------------------------------------------------------

  private static void assertAllowed(KubernetesClient client, boolean expected, String verb, String resource,
      String namespace, String name) {
    String group = resource.equals("leases") ? "coordination.k8s.io" : "";
    String[] parts = resource.split("/");
    SelfSubjectAccessReview review = client.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
        .withNewResourceAttributes().withGroup(group).withVerb(verb).withResource(parts[0])
        .withSubresource(parts.length > 1 ? parts[1] : null).withNamespace(namespace).withName(name)
        .endResourceAttributes().endSpec().build()).create();
    String what = verb + " " + resource + (name == null ? "" : "/" + name) + " in "
        + (namespace.isEmpty() ? "all namespaces" : namespace);
    assertEquals(expected, review.getStatus().getAllowed(),
        (expected ? "may not " : "may ") + what + " (" + review.getStatus().getReason() + ")");
  }

  private static void assertSecretsRule(HasMetadata role, List<String> names) {
    List<PolicyRule> rules = role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    List<PolicyRule> secrets = rules.stream().filter(r -> r.getResources().contains("secrets")).toList();
    assertEquals(1, secrets.size(), rules.toString());
    assertEquals(List.of("get"), secrets.get(0).getVerbs());
    assertEquals(names, secrets.get(0).getResourceNames() == null ? List.of() : secrets.get(0).getResourceNames());
  }

  /** "namespace/RoleBinding/<roleRef kind>" of every RoleBinding. */
  private static Set<String> bindings(Map<String, List<HasMetadata>> byKind) {
    return byKind.getOrDefault("RoleBinding", List.of()).stream().map(b -> (RoleBinding) b)
        .map(b -> b.getMetadata().getNamespace() + "/RoleBinding/" + b.getRoleRef().getKind())
        .collect(Collectors.toSet());
  }

  private static Map<String, List<HasMetadata>> byKind(List<HasMetadata> objects) {
    return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind));
  }

  private static String holder(String leaseName) {
    Lease lease = lease(leaseName);
    return lease == null || lease.getSpec().getHolderIdentity() == null
        || lease.getSpec().getHolderIdentity().isEmpty() ? null : lease.getSpec().getHolderIdentity();
  }

  private static int transitions(Lease lease) {
    return lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
  }

  private static Lease lease(String leaseName) {
    return plane.client().resources(Lease.class).inNamespace(NAMESPACED.namespace()).withName(leaseName).get();
  }

  /** Whether JOSDK started the process's event processing (on acquiring the Lease), from its log. */
  private static boolean processing(OperatorProcess operator) {
    return operator.tail(100_000).contains("Started event processing for controller: federation");
  }

  /**
   * Whether the process reconciled the example Federation: FederationReconciler sets its gauges on every reconcile.
   * (JOSDK's own reconciliations_* series would say it directly, but the packaged operator exports none.)
   */
  private static boolean reconciled(OperatorProcess operator) {
    return operator.metrics().contains("fedmllm_federation_rounds_total{federation=\"hateful-cpu\"");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> statusOf(GenericKubernetesResource resource) {
    Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(Map<String, Object> status, String type) {
    return ((List<Map<String, Object>>) status.getOrDefault("conditions", List.of())).stream()
        .filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
  }

  private static List<String> words(String line) {
    return List.of(line.trim().split("\\s+"));
  }

  /** Polls until {@code probe} returns non-null (bounded by {@link #WAIT}). */
  private static <T> T await(String what, java.util.function.Supplier<T> probe) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      Sleep.millis(250);
    }
    throw new AssertionError("no " + what + " within " + WAIT);
  }

  // --- processes and files ----------------------------------------------------------------------------------------

  /** A finished command: exit code and output (stdout and stderr). */
  private record Tool(int exit, String output) {
  }

  private static Tool run(List<String> command, String log) {
    Tool t = tool(command, log);
    if (t.exit() != 0) {
      fail(String.join(" ", command) + " exited " + t.exit() + ":\n" + t.output());
    }
    return t;
  }

  /** Runs a command to its end (bounded), with its output in {@code <work>/<log>.log}. */
  private static Tool tool(List<String> command, String log) {
    Path out = work.resolve(log + ".log");
    Path home = work.resolve("helm-home");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      // Helm's config, cache and data stay in the test's directory.
      pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      Process p = pb.start();
      if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + WAIT);
      }
      return new Tool(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<HasMetadata> load(String yaml) {
    return plane.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static Path write(String name, String content) {
    try {
      return Files.writeString(work.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String helm() {
    return ClusterBinaries.ensure().path("HELM").toString();
  }

  private static String kubectl() {
    return ClusterBinaries.ensure().path("KUBECTL").toString();
  }

  private static String kubeVersion() {
    return "v" + ClusterBinaries.ensure().kubernetesVersion();
  }
}
