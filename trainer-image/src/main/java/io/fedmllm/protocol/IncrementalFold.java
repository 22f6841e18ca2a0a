package io.fedmllm.protocol;

import io.fedmllm.api.progress.RejectedUpdate;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.UpdateRejectedException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Folds a round's updates into the aggregation while the round still waits for the rest: updates are fetched,
 * verified (size, SHA-256) and decoded on {@code ahead} threads as soon as their manifests are seen, and folded in
 * ascending client order, exactly the order (and so the bytes) of folding them all after the wait. A client is folded
 * once every client before it in the plan has been folded or can no longer take part; clients that have not arrived
 * when the wait ends are skipped ({@link #finish}). Memory is the update being folded plus at most {@code ahead}
 * loaded or loading ones: O(adapter), whatever the number of clients.
 */
final class IncrementalFold implements AutoCloseable {

  /** What the fold produced: the clients folded, those rejected (with reasons), the sum of accepted mean losses. */
  record Outcome(List<String> accepted, List<RejectedUpdate> rejected, double lossSum) {}

  private final UpdateLoader loader;
  private final int round;
  private final List<String> clients;
  private final Aggregation aggregation;
  private final int ahead;
  private final FederationMetrics metrics;
  private final PrintStream log;
  private final ExecutorService threads;
  private final Map<String, Future<UpdateLoader.Loaded>> loading = new HashMap<>();
  private final List<String> accepted = new ArrayList<>();
  private final List<RejectedUpdate> rejected = new ArrayList<>();
  private double lossSum;
  private int cursor;

  /** @param clients the plan's sampled clients, ascending */
  IncrementalFold(UpdateLoader loader, int round, List<String> clients, Aggregation aggregation, int ahead,
      FederationMetrics metrics, PrintStream log) {
    if (ahead < 1) {
      throw new IllegalArgumentException("fold: ahead must be at least 1, got " + ahead);
    }
    this.loader = loader;
    this.round = round;
    this.clients = List.copyOf(clients);
    this.aggregation = aggregation;
    this.ahead = ahead;
    this.metrics = metrics;
    this.log = log;
    this.threads = Executors.newFixedThreadPool(ahead, r -> {
      Thread t = new Thread(r, "update-fold-round-" + round);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Without blocking: folds the clients at the head of the order whose loads are done, skipping those in
   * {@code gone} (failed or left), and starts loading arrived clients ahead of the head, at most {@code ahead}.
   *
   * @param arrived the clients whose manifests were seen so far, with the manifest (null: read it when loading)
   */
  void advance(Map<String, UpdateManifest> arrived, Set<String> gone) {
    while (cursor < clients.size()) {
      String head = clients.get(cursor);
      if (gone.contains(head) && !arrived.containsKey(head)) {
        cursor++;
        continue;
      }
      Future<UpdateLoader.Loaded> f = loading.get(head);
      if (f == null || !f.isDone()) {
        break;
      }
      fold(head, take(head));
      cursor++;
    }
    startLoads(arrived);
  }

  /**
   * Folds every client of {@code arrived} not folded yet, in order, waiting for their loads; the others (never
   * arrived) are skipped.
   */
  Outcome finish(Map<String, UpdateManifest> arrived) {
    for (; cursor < clients.size(); cursor++) {
      String client = clients.get(cursor);
      if (!arrived.containsKey(client)) {
        Future<UpdateLoader.Loaded> stray = loading.remove(client);
        if (stray != null) {
          stray.cancel(true);
        }
        continue;
      }
      startLoads(arrived);
      if (!loading.containsKey(client)) {
        UpdateManifest m = arrived.get(client);
        loading.put(client, threads.submit(() -> loader.load(round, client, m)));
      }
      fold(client, take(client));
    }
    return new Outcome(List.copyOf(accepted), List.copyOf(rejected), lossSum);
  }

  private void startLoads(Map<String, UpdateManifest> arrived) {
    for (int i = cursor; i < clients.size() && loading.size() < ahead; i++) {
      String client = clients.get(i);
      if (arrived.containsKey(client) && !loading.containsKey(client)) {
        UpdateManifest m = arrived.get(client);
        loading.put(client, threads.submit(() -> loader.load(round, client, m)));
      }
    }
  }

  private UpdateLoader.Loaded take(String client) {
    Future<UpdateLoader.Loaded> f = loading.remove(client);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException("interrupted while loading the updates of round " + round);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void fold(String client, UpdateLoader.Loaded loaded) {
    metrics.updateReceived();
    try {
      if (loaded.rejection() != null) {
        throw new UpdateRejectedException(loaded.rejection());
      }
      aggregation.add(loaded.update());
      accepted.add(client);
      lossSum += loaded.manifest().meanLoss();
    } catch (UpdateRejectedException e) {
      rejected.add(new RejectedUpdate(client, e.reason(), e.rejection().message()));
      metrics.updateRejected(e.reason().name());
      log.println("aggregator: round " + round + ": rejected " + e.rejection());
    }
  }

  /** Stops loading what will not be folded (an interrupted or failed round). */
  @Override
  public void close() {
    loading.values().forEach(f -> f.cancel(true));
    threads.shutdownNow();
  }
}
