package io.fedmllm.operator.storage;

import io.fedmllm.api.progress.FederationProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest storage snapshot of each federation, as read by the federation reconciler, so client reconcilers derive
 * their per-client figures without reading storage once per client.
 */
@ApplicationScoped
public class ProgressRegistry {

  private final Map<String, FederationProgress> snapshots = new ConcurrentHashMap<>();

  public void put(String namespace, String federation, FederationProgress snapshot) {
    snapshots.put(key(namespace, federation), snapshot);
  }

  public Optional<FederationProgress> get(String namespace, String federation) {
    return Optional.ofNullable(snapshots.get(key(namespace, federation)));
  }

  public void remove(String namespace, String federation) {
    snapshots.remove(key(namespace, federation));
  }

  private static String key(String namespace, String federation) {
    return namespace + "/" + federation;
  }
}
