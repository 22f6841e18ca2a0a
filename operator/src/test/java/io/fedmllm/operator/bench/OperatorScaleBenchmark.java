package io.fedmllm.operator.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.operator.Fixtures;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The operator's scale benchmark, a command rather than a test: it only runs when asked for,
 *
 * <pre>mvn -B -pl operator -am verify -Dfedmllm.benchmark=true -Dtest=OperatorScaleBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipITs</pre>
 *
 * and prints how long the operator takes, from the first of 100 FederationClients of one Federation being created,
 * until all 100 trainer pods exist (fabric8 mock API server in CRUD mode, in the same JVM), plus the JVM's RSS, and
 * how often the aggregator pod was recreated meanwhile (issue #13: clients joining must not recreate it; it is
 * counted as distinct pod UIDs seen by a watch, once the rendered ConfigMap lists all 100 clients).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@EnabledIfSystemProperty(named = "fedmllm.benchmark", matches = "true")
class OperatorScaleBenchmark {
  private static final int CLIENTS = 100;

  @Inject KubernetesClient client;

  @Test
  void hundredClientsOfOneFederation() throws Exception {
    String ns = "scale";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    Federation federation = Fixtures.federation(ns, "big");
    federation.getSpec().getStorage().setPrefix("scale/big");
    federation.getMetadata().setUid(null);
    federation.getMetadata().setGeneration(null);
    client.resource(federation).create();
    String aggregator = "big-aggregator";
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.pods().inNamespace(ns).withName(aggregator).get() != null);
    Set<String> aggregatorUids = ConcurrentHashMap.newKeySet();
    Watch watch = client.pods().inNamespace(ns).withName(aggregator).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        aggregatorUids.add(pod.getMetadata().getUid());
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    aggregatorUids.add(client.pods().inNamespace(ns).withName(aggregator).get().getMetadata().getUid());
    long started = System.nanoTime();
    for (int i = 0; i < CLIENTS; i++) {
      FederationClient c = Fixtures.client(ns, String.format("c%03d", i), "big");
      c.getMetadata().setUid(null);
      c.getMetadata().setGeneration(null);
      client.resource(c).create();
    }
    double created = (System.nanoTime() - started) / 1e9;
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.pods().inNamespace(ns).list().getItems().stream()
            .filter(p -> p.getMetadata().getName().endsWith("-trainer")).count() == CLIENTS);
    double allPods = (System.nanoTime() - started) / 1e9;
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
      var config = client.configMaps().inNamespace(ns).withName("big-config").get();
      return config != null && ManifestReader.ofRunningFederation()
          .read(config.getData().get("federation.yaml"), "big-config").clients().size() == CLIENTS;
    });
    Thread.sleep(1000); // events of the last reconcile reach the watch
    watch.close();
    Pod last = client.pods().inNamespace(ns).withName(aggregator).get();
    if (last != null) {
      aggregatorUids.add(last.getMetadata().getUid());
    }
    int recreations = aggregatorUids.size() - 1;
    System.out.printf(Locale.ROOT,
        "%n[benchmark] %d FederationClients created in %.2f s; all %d trainer pods exist %.2f s after the first "
            + "client; aggregator pod recreations while they were created: %d; JVM RSS %s, peak %s (operator + mock "
            + "API server in one JVM)%n%n",
        CLIENTS, created, CLIENTS, allPods, recreations, status("VmRSS"), status("VmHWM"));
  }

  private static String status(String key) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key + ":")) {
        return (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024) + " MiB";
      }
    }
    return "n/a";
  }
}
