package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.data.Task;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients joining and leaving a running federation (issue #13): the pool of every round is the membership when it was
 * planned and is recorded in its plan and round manifest; a resumed aggregator keeps a planned round's pool; round 0
 * waits for its start policy. Threads over a real S3Proxy with a stand-in for training.
 */
class MembershipIT {

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

  /** Every member per round (clientsPerRound 0), quorum {@code minClients}, no clients at configuration time. */
  private static FederationConfig config(int rounds, int perRound, int minClients, long deadlineMillis,
      ServerStrategyConfig server) {
    return new FederationConfig("tiny", Task.HATEFUL, List.of(), rounds, perRound, null, minClients, deadlineMillis,
        42, new CosineSchedule(1e-2, rounds, 0, 0.1), TrainingConfig.paperDefault(4, 1).withLocalSteps(1),
        LoraConfig.paperDefault(), ClientStrategy.none(), server);
  }

  /** Stand-in training keyed by the client's position in the round's pool; SCAFFOLD updates carry a control delta. */
  private static LocalTraining shift(String client) {
    return (plan, global, state) -> {
      float step = plan.clientIndex(client) + 1;
      TensorMap.Builder weights = TensorMap.builder();
      TensorMap.Builder control = TensorMap.builder();
      global.forEach(e -> {
        float[] d = e.getValue().data().clone();
        for (int i = 0; i < d.length; i++) {
          d[i] += (float) (step * plan.learningRate());
        }
        weights.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        control.put(e.getKey(), new Tensor(e.getValue().shape(), ProtocolHarness.filled(d.length, 0.01f)));
      });
      boolean scaffold = "scaffold".equals(state.strategy());
      return new TrainedUpdate(weights.build(), scaffold ? control.build() : TensorMap.empty(), 10, 1, 1.0 / step,
          100);
    };
  }

  private Future<FederationOutcome> trainer(FederationLayout layout, String client) {
    return harness.trainer(layout, client, c -> shift(client), new FederationMetrics(), s -> s);
  }

  private RoundPlan plan(FederationLayout layout, int r) {
    return reader.read(layout.plan(r), RoundPlan.class).orElseThrow();
  }

  private RoundManifest round(FederationLayout layout, int r) {
    return reader.read(layout.roundManifest(r), RoundManifest.class).orElseThrow();
  }

  @Test
  void clientsJoiningOneByOneArePooledFromTheNextRoundAndEveryOneIsSampled() throws Exception {
    FederationLayout layout = new FederationLayout("fed/joining");
    List<String> all = ProtocolHarness.clientIds(4);
    AtomicReference<List<String>> members = new AtomicReference<>(List.of());
    FederationConfig config = config(8, 0, 1, 30_000, ServerStrategyConfig.defaults("scaffold"));
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, members::get,
        new StartPolicy(2, Optional.empty()), new FederationMetrics());
    List<Future<FederationOutcome>> trainers = new ArrayList<>();
    for (String c : all) {
      trainers.add(trainer(layout, c)); // trainers start before their client is a member
    }
    // members arrive one by one while the rounds run
    for (int i = 0; i < all.size(); i++) {
      members.set(all.subList(0, i + 1));
      if (i >= 1) {
        ProtocolHarness.sleepUntilExists(reader, layout.plan(2 * i - 1), 60_000);
      } else {
        Thread.sleep(500);
        assertFalse(reader.exists(layout.plan(0)), "round 0 waits for the start policy's 2 members");
      }
    }
    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    for (Future<FederationOutcome> t : trainers) {
      assertTrue(await(t).completed());
    }
    TreeSet<String> sampled = new TreeSet<>();
    int previous = 0;
    for (int r = 0; r < config.rounds(); r++) {
      RoundPlan plan = plan(layout, r);
      RoundManifest round = round(layout, r);
      assertTrue(plan.pool().size() >= Math.max(2, previous), "round " + r + " pool " + plan.pool());
      assertEquals(plan.pool(), plan.clients(), "every member is sampled (clientsPerRound 0)");
      assertEquals(plan.pool(), round.pool(), "round.json records the plan's pool");
      assertEquals(plan.clients(), round.accepted(), "nobody is waited for in vain");
      previous = plan.pool().size();
      sampled.addAll(round.accepted());
    }
    assertEquals(List.of("client-000", "client-001"), plan(layout, 0).pool());
    assertEquals(all, plan(layout, config.rounds() - 1).pool());
    assertEquals(new TreeSet<>(all), sampled);
  }

  @Test
  void aClientThatLeavesIsDroppedFromItsRoundAtOnceAndNotSampledAgain() throws Exception {
    FederationLayout layout = new FederationLayout("fed/leaving");
    List<String> all = ProtocolHarness.clientIds(3);
    AtomicReference<List<String>> members = new AtomicReference<>(all);
    // a round deadline of 10 minutes: if anything waited for the one that left, the test would time out
    FederationConfig config = config(4, 0, 1, 600_000, new ServerStrategyConfig.FedAvgConfig());
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, members::get,
        new StartPolicy(3, Optional.empty()), new FederationMetrics());
    trainer(layout, "client-000");
    trainer(layout, "client-001");
    CountDownLatch stuck = new CountDownLatch(1);
    // client-002 trains round 0, then hangs in round 1 (its pod is being deleted) and never sends that update
    harness.trainer(layout, "client-002", c -> (plan, global, state) -> {
      if (plan.round() >= 1) {
        stuck.countDown();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("interrupted");
      }
      return shift("client-002").train(plan, global, state);
    }, new FederationMetrics(), s -> s);
    assertTrue(stuck.await(60, TimeUnit.SECONDS));
    long left = System.currentTimeMillis();
    members.set(all.subList(0, 2));
    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    assertTrue(System.currentTimeMillis() - left < 30_000, "nothing waited for the client that left");
    assertEquals(all, round(layout, 0).accepted());
    assertEquals(all, round(layout, 1).sampled());
    assertEquals(List.of("client-002"), round(layout, 1).missing());
    for (int r = 2; r < config.rounds(); r++) {
      assertEquals(all.subList(0, 2), plan(layout, r).pool());
      assertFalse(plan(layout, r).clients().contains("client-002"));
      assertEquals(all.subList(0, 2), round(layout, r).accepted());
    }
  }

  @Test
  void aResumedAggregatorKeepsThePoolItsPlanRecorded() throws Exception {
    FederationLayout layout = new FederationLayout("fed/resumed-pool");
    List<String> all = ProtocolHarness.clientIds(4);
    AtomicReference<List<String>> members = new AtomicReference<>(all.subList(0, 3));
    FederationConfig config = config(3, 0, 3, 600_000, new ServerStrategyConfig.FedAvgConfig());
    Future<FederationOutcome> first = harness.aggregator(layout, config, members::get,
        StartPolicy.quorum(config), new FederationMetrics());
    // only client-000 and client-001 train, so round 0 (quorum 3) stays open until the aggregator is stopped
    trainer(layout, "client-000");
    trainer(layout, "client-001");
    ProtocolHarness.sleepUntilExists(reader, layout.updateManifest(0, "client-001"), 30_000);
    first.cancel(true);
    List<String> planned = plan(layout, 0).pool();
    assertEquals(all.subList(0, 3), planned);
    members.set(all); // client-003 joins while no aggregator runs
    Future<FederationOutcome> second = harness.aggregator(layout, config, members::get,
        StartPolicy.quorum(config), new FederationMetrics());
    trainer(layout, "client-002");
    trainer(layout, "client-003");
    FederationOutcome outcome = await(second);
    assertTrue(outcome.completed(), outcome.message());
    assertEquals(planned, round(layout, 0).pool(), "round 0 kept the pool its plan recorded");
    assertEquals(planned, round(layout, 0).accepted());
    assertEquals(all, round(layout, 1).pool(), "client-003 is pooled from the next round");
  }

  @Test
  void aStartPolicyTimeoutStartsWithTheMembersThereOrFailsBelowTheQuorum() throws Exception {
    FederationLayout started = new FederationLayout("fed/start-timeout");
    FederationConfig config = config(1, 0, 1, 30_000, new ServerStrategyConfig.FedAvgConfig());
    StartPolicy waitForThree = new StartPolicy(3, Optional.of(Duration.ofSeconds(1)));
    Future<FederationOutcome> a = harness.aggregator(started, config, () -> List.of("client-000"), waitForThree,
        new FederationMetrics());
    trainer(started, "client-000");
    FederationOutcome outcome = await(a);
    assertTrue(outcome.completed(), outcome.message());
    assertEquals(List.of("client-000"), plan(started, 0).pool());

    FederationLayout failed = new FederationLayout("fed/start-below-quorum");
    FederationConfig quorumTwo = config(1, 0, 2, 30_000, new ServerStrategyConfig.FedAvgConfig());
    FederationOutcome below = await(harness.aggregator(failed, quorumTwo, () -> List.of("client-000"),
        new StartPolicy(2, Optional.of(Duration.ofSeconds(1))), new FederationMetrics()));
    assertFalse(below.completed());
    assertTrue(below.message().startsWith("round 0: 1 member(s) after waiting"), below.message());
    assertFalse(reader.exists(failed.plan(0)), "no round was planned");
  }

  @Test
  void aPlanWrittenBeforePlansRecordedTheirPoolSampledFromTheConfiguredClients() throws Exception {
    String sha = "0".repeat(64);
    String old = """
        {"round": 0, "clients": ["a"], "deadlineEpochMillis": 5, "learningRate": 0.1,
         "global": {"key": "g", "sha256": "SHA", "size": 1}, "serverState": {"key": "s", "sha256": "SHA", "size": 1}}
        """.replace("SHA", sha);
    FederationLayout layout = new FederationLayout("fed/old-plan");
    reader.objects().put(layout.plan(0), old.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RoundPlan plan = plan(layout, 0);
    assertNull(plan.pool());
    RoundPlan defaulted = plan.withPoolDefault(List.of("a", "b"));
    assertEquals(List.of("a", "b"), defaulted.pool());
    assertEquals(1, defaulted.withPoolDefault(List.of("x")).clientIndex("b"), "a recorded pool is kept");
    assertThrows(IllegalArgumentException.class, () -> defaulted.clientIndex("c"));
  }
}
