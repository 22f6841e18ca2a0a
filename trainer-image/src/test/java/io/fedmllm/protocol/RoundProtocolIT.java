package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.ServerStrategies;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round protocol between an aggregator and trainers (threads, each with its own storage client) over a real
 * S3Proxy: rejections, a stalled trainer, a missed quorum, and a conflicting federation. Training is a deterministic
 * stand-in, so no model is involved and each test takes seconds.
 */
class RoundProtocolIT {

  @TempDir Path dir;
  private ProtocolHarness harness;
  private ManifestStore reader;

  @BeforeEach
  void start() throws Exception {
    harness = new ProtocolHarness(dir.resolve("s3"));
    reader = harness.connect(new FederationMetrics());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private RoundManifest round(FederationLayout layout, int r) {
    return reader.read(layout.roundManifest(r), RoundManifest.class).orElseThrow();
  }

  @Test
  void corruptedNanAndWrongShapeUpdatesAreRejectedWithTheirReasonAndCounted() throws Exception {
    FederationLayout layout = new FederationLayout("fed/rejections");
    FederationConfig config = ProtocolHarness.config(5, 1, 2, 20_000);
    FederationMetrics aggregatorMetrics = new FederationMetrics();
    FederationMetrics badTrainerMetrics = new FederationMetrics();
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, aggregatorMetrics);
    harness.trainer(layout, "client-000", new FederationMetrics());
    harness.trainer(layout, "client-001", new FederationMetrics());
    harness.trainer(layout, "client-002", c -> ProtocolHarness.shift(c, "client-002"), badTrainerMetrics,
        CorruptingObjectStore::new);
    harness.trainer(layout, "client-003", c -> (plan, global, state) -> {
      TensorMap.Builder b = TensorMap.builder();
      global.forEach(e -> b.put(e.getKey(), new Tensor(e.getValue().shape(),
          ProtocolHarness.filled(e.getValue().size(), Float.NaN))));
      return new TrainedUpdate(b.build(), TensorMap.empty(), 5, 1, 0, 0);
    }, badTrainerMetrics, s -> s);
    harness.trainer(layout, "client-004", c -> (plan, global, state) -> new TrainedUpdate(
        global.with("layer.0.lora_A", new Tensor(new long[] {8, 2}, new float[16])), TensorMap.empty(), 5, 1, 0, 0),
        badTrainerMetrics, s -> s);

    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    RoundManifest r0 = round(layout, 0);
    assertEquals(List.of("client-000", "client-001"), r0.accepted());
    Map<String, RejectionReason> reasons = new TreeMap<>();
    r0.rejected().forEach(r -> reasons.put(r.client(), r.reason()));
    assertEquals(Map.of("client-002", RejectionReason.CHECKSUM_MISMATCH, "client-003", RejectionReason.NAN_OR_INF,
        "client-004", RejectionReason.SHAPE_MISMATCH), reasons);
    r0.rejected().forEach(r -> assertTrue(r.message().contains(r.client()) && !r.message().contains("\n"),
        r.message()));
    for (RejectionReason reason : List.of(RejectionReason.CHECKSUM_MISMATCH, RejectionReason.NAN_OR_INF,
        RejectionReason.SHAPE_MISMATCH)) {
      assertEquals(1.0, aggregatorMetrics.rejected(reason.name()), reason.name());
    }
    assertEquals(5.0, aggregatorMetrics.received());
    FederationProgress status = reader.read(layout.status(), FederationProgress.class).orElseThrow();
    assertEquals(ProgressPhase.COMPLETED, status.phase());
    assertEquals(3, status.history().get(0).rejected().size());

    // The committed global is exactly FedAvg of the two good updates: the rejected ones left no trace.
    ServerStrategy fedavg = ServerStrategies.create("fedavg");
    TensorMap initial = ProtocolHarness.adapter(0.5f);
    Aggregation expected = fedavg.begin(initial, fedavg.initialState(initial));
    RoundPlan plan = reader.read(layout.plan(0), RoundPlan.class).orElseThrow();
    for (String c : List.of("client-000", "client-001")) {
      TrainedUpdate u = ProtocolHarness.shift(config, c).train(plan, initial, null);
      expected.add(ClientUpdate.of(c, u.weights(), u.numSamples()));
    }
    assertEquals(expected.finish().global(), UpdateCodec.decode(reader.readData(outcome.finalAdapter()), "final"));

    // Each bad trainer learns of its own rejection when the federation ends.
    harness.threads.shutdown();
    harness.threads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(1.0, badTrainerMetrics.rejected("NAN_OR_INF"));
    assertEquals(1.0, badTrainerMetrics.rejected("SHAPE_MISMATCH"));
    assertEquals(1.0, badTrainerMetrics.rejected("CHECKSUM_MISMATCH"));
  }

  @Test
  void aStalledTrainerMissesTheDeadlineTheRoundClosesWithTheQuorumAndTheNextRoundProceeds() throws Exception {
    FederationLayout layout = new FederationLayout("fed/stall");
    long deadline = 2_000;
    FederationConfig config = ProtocolHarness.config(3, 2, 2, deadline);
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    harness.trainer(layout, "client-000", new FederationMetrics());
    harness.trainer(layout, "client-001", new FederationMetrics());
    Future<FederationOutcome> staller = harness.trainer(layout, "client-002", c -> {
      LocalTraining normal = ProtocolHarness.shift(c, "client-002");
      return (plan, global, state) -> {
        if (plan.round() == 0) {
          ProtocolHarness.sleepUntil(plan.deadlineEpochMillis() + 500);
        }
        return normal.train(plan, global, state);
      };
    }, new FederationMetrics(), s -> s);

    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    RoundManifest r0 = round(layout, 0);
    assertEquals(List.of("client-002"), r0.missing());
    assertEquals(List.of("client-000", "client-001"), r0.accepted());
    assertTrue(r0.roundSeconds() >= deadline / 1000.0 - 0.2, "closed at the deadline: " + r0.roundSeconds());
    RoundManifest r1 = round(layout, 1);
    assertEquals(3, r1.accepted().size() + r1.missing().size());
    assertTrue(r1.accepted().containsAll(List.of("client-000", "client-001")));
    FederationProgress status = reader.read(layout.status(), FederationProgress.class).orElseThrow();
    assertEquals(List.of("client-002"), status.history().get(0).missing());
    assertTrue(await(staller).completed());
  }

  @Test
  void aQuorumMissedAfterTheOneExtensionFailsTheFederationWithAClearReason() throws Exception {
    FederationLayout layout = new FederationLayout("fed/quorum");
    FederationConfig config = ProtocolHarness.config(2, 3, 2, 1_000);
    long started = System.currentTimeMillis();
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    Future<FederationOutcome> trainer = harness.trainer(layout, "client-000", new FederationMetrics());

    FederationOutcome outcome = await(aggregator);
    long took = System.currentTimeMillis() - started;
    assertEquals(ProgressPhase.FAILED, outcome.phase());
    assertTrue(outcome.message().contains("missing [client-001]"), outcome.message());
    assertTrue(took >= 2_000 && took < 15_000, "deadline + one extension, took " + took + " ms");
    assertTrue(reader.exists(layout.deadlineExtension(0)));
    assertEquals(ProgressPhase.FAILED, await(trainer).phase(), "the trainer exits on the outcome");
    assertEquals(ProgressPhase.FAILED, reader.read(layout.status(), FederationProgress.class).orElseThrow().phase());
  }

  @Test
  void anAggregatorRefusesAPrefixHoldingADifferentFederation() throws Exception {
    FederationLayout layout = new FederationLayout("fed/conflict");
    FederationConfig stored = ProtocolHarness.config(2, 1, 1, 1_000);
    reader.publish(layout.federation(), stored);
    FederationConfig other = new FederationConfig(stored.model(), stored.task(), stored.clients(), stored.rounds(),
        stored.clientsPerRound(), null, stored.minClients(), stored.roundDeadlineMillis(), 7, stored.schedule(),
        stored.training(), stored.lora(), stored.clientStrategy(), stored.serverStrategy());
    ProtocolException e = assertThrows(ProtocolException.class, () -> new Aggregator(reader, layout, other,
        AggregatorBase.placeholder(ProtocolHarness.adapter(0)), ProtocolHarness.FAST, new FederationMetrics(),
        System.out).run());
    assertTrue(e.getMessage().contains("different federation") && e.getMessage().contains("differs in seed"),
        e.getMessage());
  }

  @Test
  void aResumedAggregatorContinuesFromTheLastCommittedRoundWithTheSameResult() throws Exception {
    FederationConfig config = ProtocolHarness.config(3, 4, 3, 20_000);
    FederationLayout straight = new FederationLayout("fed/straight");
    Future<FederationOutcome> a = harness.aggregator(straight, config, new FederationMetrics());
    for (String c : config.clients()) {
      harness.trainer(straight, c, new FederationMetrics());
    }
    FederationOutcome expected = await(a);

    // Same federation, but the first aggregator stops after two rounds (its thread is interrupted while waiting).
    FederationLayout resumed = new FederationLayout("fed/resumed");
    Future<FederationOutcome> first = harness.aggregator(resumed, config, new FederationMetrics());
    for (String c : config.clients()) {
      harness.trainer(resumed, c, new FederationMetrics());
    }
    ProtocolHarness.sleepUntilExists(reader, resumed.plan(2), 30_000);
    first.cancel(true);
    FederationOutcome outcome = await(harness.aggregator(resumed, config, new FederationMetrics()));
    assertTrue(outcome.completed(), outcome.message());
    assertEquals(expected.finalAdapter().sha256(), outcome.finalAdapter().sha256());
  }
}
