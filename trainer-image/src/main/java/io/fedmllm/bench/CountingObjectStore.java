package io.fedmllm.bench;

import io.fedmllm.storage.ObjectStore;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests and bytes that pass through an {@link ObjectStore}, for the protocol benchmark's per-round
 * report (round trips and bytes a round moves). Counters are shared by every client of one benchmark run.
 */
final class CountingObjectStore implements ObjectStore {

  /** Shared counters. */
  static final class Counters {
    final LongAdder puts = new LongAdder();
    final LongAdder conditionalPuts = new LongAdder();
    final LongAdder gets = new LongAdder();
    final LongAdder getMisses = new LongAdder();
    final LongAdder heads = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder bytesRead = new LongAdder();

    /** When each round's {@code round.json} was first written (System.nanoTime), by round. */
    final java.util.concurrent.ConcurrentHashMap<String, Long> manifestWrites =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The commit times of rounds 0..rounds-1. */
    long[] commitNanos(io.fedmllm.protocol.FederationLayout layout, int rounds) {
      long[] t = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        Long at = manifestWrites.get(layout.roundManifest(r));
        if (at == null) {
          throw new IllegalStateException("benchmark: no write of " + layout.roundManifest(r) + " was seen");
        }
        t[r] = at;
      }
      return t;
    }

    /** A copy of the current values: puts, conditional puts, gets, misses, heads, written, read. */
    long[] snapshot() {
      return new long[] {puts.sum(), conditionalPuts.sum(), gets.sum(), getMisses.sum(), heads.sum(),
          bytesWritten.sum(), bytesRead.sum()};
    }
  }

  private final ObjectStore delegate;
  private final Counters counters;

  CountingObjectStore(ObjectStore delegate, Counters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public void put(String key, byte[] data) {
    delegate.put(key, data);
    counters.puts.increment();
    counters.bytesWritten.add(data.length);
  }

  @Override
  public void put(String key, byte[] data, byte[] sha256) {
    delegate.put(key, data, sha256);
    counters.puts.increment();
    counters.bytesWritten.add(data.length);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    boolean ok = delegate.putIfAbsent(key, data);
    if (key.endsWith("/round.json")) {
      counters.manifestWrites.putIfAbsent(key, System.nanoTime());
    }
    counters.conditionalPuts.increment();
    counters.bytesWritten.add(data.length);
    return ok;
  }

  @Override
  public Optional<byte[]> get(String key) {
    Optional<byte[]> v = delegate.get(key);
    counted(v);
    return v;
  }

  @Override
  public Optional<byte[]> get(String key, long expectedSize, java.security.MessageDigest digest) {
    Optional<byte[]> v = delegate.get(key, expectedSize, digest);
    counted(v);
    return v;
  }

  private void counted(Optional<byte[]> v) {
    counters.gets.increment();
    if (v.isEmpty()) {
      counters.getMisses.increment();
    }
    v.ifPresent(b -> counters.bytesRead.add(b.length));
  }

  @Override
  public boolean exists(String key) {
    counters.heads.increment();
    return delegate.exists(key);
  }

  @Override
  public int deletePrefix(String prefix) {
    return delegate.deletePrefix(prefix);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
