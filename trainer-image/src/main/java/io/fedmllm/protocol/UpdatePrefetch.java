package io.fedmllm.protocol;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads a round's updates in the given order while the caller folds the previous ones: {@link #next} returns the
 * next update (fetched, size and SHA-256 verified, decoded by {@link UpdateLoader}) and starts loading the ones after
 * it, at most {@code ahead} at a time on their own threads. Memory is the update being folded plus {@code ahead}
 * loaded ones, still O(adapter); the order of the results is the order given, so the aggregation is the same as
 * loading them one by one.
 */
final class UpdatePrefetch implements AutoCloseable {

  private final UpdateLoader loader;
  private final int round;
  private final Iterator<String> pending;
  private final int ahead;
  private final ExecutorService threads;
  private final Deque<Future<UpdateLoader.Loaded>> inFlight = new ArrayDeque<>();

  UpdatePrefetch(UpdateLoader loader, int round, List<String> clients, int ahead) {
    if (ahead < 1) {
      throw new IllegalArgumentException("prefetch: ahead must be at least 1, got " + ahead);
    }
    this.loader = loader;
    this.round = round;
    this.pending = List.copyOf(clients).iterator();
    this.ahead = ahead;
    this.threads = Executors.newFixedThreadPool(ahead, r -> {
      Thread t = new Thread(r, "update-prefetch-round-" + round);
      t.setDaemon(true);
      return t;
    });
    fill();
  }

  /** Whether {@link #next} has another update. */
  boolean hasNext() {
    return !inFlight.isEmpty();
  }

  /**
   * The next update in the given order; a storage failure loading it surfaces here as it would loading it directly.
   *
   * @throws ProtocolException when interrupted while waiting
   */
  UpdateLoader.Loaded next() {
    Future<UpdateLoader.Loaded> head = inFlight.removeFirst();
    try {
      UpdateLoader.Loaded loaded = head.get();
      fill();
      return loaded;
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

  /** Keeps {@code ahead} loads in flight beyond the update the caller holds. */
  private void fill() {
    while (inFlight.size() < ahead && pending.hasNext()) {
      String client = pending.next();
      inFlight.addLast(threads.submit(() -> loader.load(round, client)));
    }
  }

  /** Stops loading what the caller will not take (an interrupted or failed round). */
  @Override
  public void close() {
    inFlight.forEach(f -> f.cancel(true));
    threads.shutdownNow();
  }
}
