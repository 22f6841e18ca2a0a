package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.FedAvg;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Folding updates as they arrive gives the bytes of folding them all afterwards, in ascending order. */
class IncrementalFoldTest {

  private static final FederationLayout LAYOUT = new FederationLayout("f");
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  /** In-memory objects; counts the data objects fetched. */
  static final class MemoryStore implements ObjectStore {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final AtomicInteger dataGets = new AtomicInteger();

    @Override
    public void put(String key, byte[] data) {
      objects.put(key, data.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      byte[] prev = objects.putIfAbsent(key, data.clone());
      return prev == null || java.util.Arrays.equals(prev, data);
    }

    @Override
    public Optional<byte[]> get(String key) {
      if (key.contains("/weights-")) {
        dataGets.incrementAndGet();
      }
      return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public boolean exists(String key) {
      return objects.containsKey(key);
    }

    @Override
    public int deletePrefix(String prefix) {
      return 0;
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {}
  }

  private static TensorMap adapter(float value) {
    return TensorMap.builder().put("a", new Tensor(new long[] {2}, new float[] {value, -value})).build();
  }

  /**
   * Values whose double sum depends on the order: in ascending order 2^30 + 2^-30 rounds the small one away and the
   * mean is 0; folded as c0, c2, c3, c1 (the arrival order below) 2^30 - 2^30 cancels first and the mean is 2^-32.
   */
  private static final float[] VALUES = {(float) Math.pow(2, 30), (float) Math.pow(2, -30),
      (float) -Math.pow(2, 30), 0.0f};

  private static Map<String, UpdateManifest> publish(ManifestStore manifests, List<String> clients) {
    Map<String, UpdateManifest> all = new TreeMap<>();
    for (int i = 0; i < clients.size(); i++) {
      String c = clients.get(i);
      ObjectRef w = manifests.putData(UpdateCodec.encode(adapter(VALUES[i])), sha -> LAYOUT.updateData(0, c,
          "weights", sha));
      UpdateManifest m = new UpdateManifest(0, c, 1, 1, 0.5, 0, w, null);
      manifests.publish(LAYOUT.updateManifest(0, c), m);
      all.put(c, m);
    }
    return all;
  }

  @Test
  void foldingInArrivalOrderChunksGivesTheAscendingOrderResultAndBoundsWhatIsLoaded() {
    MemoryStore store = new MemoryStore();
    ManifestStore manifests = new ManifestStore(store);
    List<String> clients = List.of("c0", "c1", "c2", "c3");
    Map<String, UpdateManifest> all = publish(manifests, clients);
    ServerStrategy fedavg = new FedAvg();
    TensorMap global = adapter(0);

    Aggregation reference = fedavg.begin(global, fedavg.initialState(global));
    for (int i = 0; i < clients.size(); i++) {
      reference.add(ClientUpdate.of(clients.get(i), adapter(VALUES[i]), 1));
    }
    RoundResult expected = reference.finish();
    // (The aggregation itself refuses updates out of ascending order; in plain double sums the order is visible.)
    double ascending = (((double) VALUES[0] + VALUES[1]) + VALUES[2]) + VALUES[3];
    double arrival = (((double) VALUES[0] + VALUES[2]) + VALUES[3]) + VALUES[1];
    assertNotEquals((float) (ascending / 4), (float) (arrival / 4),
        "the values must make the order visible, or this test could not fail");

    Aggregation aggregation = fedavg.begin(global, fedavg.initialState(global));
    int ahead = 1;
    RoundResult got;
    try (IncrementalFold fold = new IncrementalFold(new UpdateLoader(manifests, LAYOUT), 0, clients, aggregation,
        ahead, new FederationMetrics(), QUIET)) {
      // c0, c2 and c3 arrive first, c1 last: folding in arrival order would give a mean of 2^-32 instead of 0.
      Map<String, UpdateManifest> arrived = new TreeMap<>();
      for (String c : List.of("c0", "c2", "c3")) {
        arrived.put(c, all.get(c));
        fold.advance(arrived, Set.of());
        assertTrue(store.dataGets.get() <= 1 + ahead, "loaded " + store.dataGets.get() + " updates, the folded one "
            + "and at most " + ahead + " ahead may be");
      }
      arrived.put("c1", all.get("c1"));
      IncrementalFold.Outcome outcome = fold.finish(arrived);
      assertEquals(clients, outcome.accepted());
      got = aggregation.finish();
    }
    assertEquals(0.0f, expected.global().get("a").data()[0], "the ascending-order mean");
    assertArrayEquals(expected.global().get("a").data(), got.global().get("a").data());
    assertEquals(4, store.dataGets.get(), "every update fetched once");
  }

  @Test
  void clientsThatNeverArriveOrFailedAreSkippedAndBrokenBytesRejected() {
    MemoryStore store = new MemoryStore();
    ManifestStore manifests = new ManifestStore(store);
    List<String> clients = List.of("c0", "c1", "c2", "c3");
    Map<String, UpdateManifest> all = publish(manifests, clients);
    // c3's weights change after its manifest was written: its checksum no longer matches.
    String c3 = all.get("c3").weights().key();
    byte[] broken = store.objects.get(c3).clone();
    broken[broken.length - 1] ^= 1;
    store.objects.put(c3, broken);
    ServerStrategy fedavg = new FedAvg();
    TensorMap global = adapter(0);
    Aggregation aggregation = fedavg.begin(global, fedavg.initialState(global));
    try (IncrementalFold fold = new IncrementalFold(new UpdateLoader(manifests, LAYOUT), 0, clients, aggregation, 2,
        new FederationMetrics(), QUIET)) {
      Map<String, UpdateManifest> arrived = new TreeMap<>();
      arrived.put("c2", all.get("c2"));
      arrived.put("c3", all.get("c3"));
      fold.advance(arrived, Set.of("c0")); // c0 failed; c1 never arrives
      IncrementalFold.Outcome outcome = fold.finish(arrived);
      assertEquals(List.of("c2"), outcome.accepted());
      assertEquals(1, outcome.rejected().size());
      assertEquals(RejectionReason.CHECKSUM_MISMATCH, outcome.rejected().get(0).reason());
    }
  }
}
