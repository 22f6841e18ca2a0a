package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.metrics.FederationMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuing a federation with more rounds, over a real S3Proxy with threads as processes (training is the
 * deterministic stand-in): a completed federation raised from 2 to 4 rounds runs rounds 2-3 under a continuation and
 * leaves every object of rounds 0-1 byte for byte as it was; trainers started for the continuation wait for it;
 * lowering the rounds or continuing a failed federation is refused with one line; a raise while running finishes
 * the running generation first, and an aggregator restarted in the middle of a continuation resumes it with the
 * same bytes as an uninterrupted one.
 */
class ContinuationIT {

  private static final FederationConfig TWO = ProtocolHarness.config(3, 2, 3, 20_000);
  private static final FederationConfig FOUR = ProtocolHarness.config(3, 4, 3, 20_000);

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

  /** Every stored object under the federation's prefix (read from the store's files: a test may list). */
  private Map<String, byte[]> objects(FederationLayout layout) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    Path root = harness.server.directory();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(f).toString().replace('\\', '/');
        int at = relative.indexOf(layout.prefix() + "/");
        if (at >= 0) {
          out.put(relative.substring(at + layout.prefix().length() + 1), Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  private List<Future<FederationOutcome>> trainers(FederationLayout layout, FederationConfig config, int target) {
    List<Future<FederationOutcome>> out = new ArrayList<>();
    for (String c : config.clients()) {
      out.add(harness.trainer(layout, c, target, x -> ProtocolHarness.shift(x, c), new FederationMetrics(),
          s -> s));
    }
    return out;
  }

  private FederationOutcome complete(FederationLayout layout, FederationConfig config, int target) throws Exception {
    List<Future<FederationOutcome>> trainers = trainers(layout, config, target);
    FederationOutcome outcome = await(harness.aggregator(layout, config, new FederationMetrics()));
    assertTrue(outcome.completed(), outcome.message());
    for (Future<FederationOutcome> t : trainers) {
      assertEquals(outcome, await(t));
    }
    return outcome;
  }

  private <T> T read(String key, Class<T> type) {
    return reader.read(key, type).orElseThrow(() -> new AssertionError(key + " missing"));
  }

  @Test
  void aCompletedFederationRaisedFromTwoToFourRoundsContinuesAndKeepsTheCommittedBytes() throws Exception {
    FederationLayout layout = new FederationLayout("fed/continued");
    complete(layout, TWO, 2);
    Map<String, byte[]> before = objects(layout);
    assertTrue(before.containsKey("rounds/00001/round.json") && before.containsKey("outcome.json")
        && before.containsKey("base/base.json"), before.keySet().toString());

    // Trainers started for the continuation (as the operator recreates the pods) come first and wait for it.
    List<Future<FederationOutcome>> trainers = trainers(layout, FOUR, 4);
    FederationOutcome outcome = await(harness.aggregator(layout, FOUR, new FederationMetrics()));
    assertTrue(outcome.completed(), outcome.message());
    assertEquals(4, outcome.roundsCommitted());
    for (Future<FederationOutcome> t : trainers) {
      assertEquals(outcome, await(t));
    }

    Map<String, byte[]> after = objects(layout);
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      if (!e.getKey().equals("status.json")) {
        assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " changed");
      }
    }
    Continuation continuation = read(layout.continuation(1), Continuation.class);
    assertEquals(new Continuation(1, 2, FOUR, "rounds raised from 2 to 4"), continuation);
    assertEquals(outcome, read(layout.outcome(1), FederationOutcome.class));
    assertEquals(2, read(layout.outcome(), FederationOutcome.class).roundsCommitted(), "generation 0 as it was");
    assertEquals(TWO.schedule().rate(1), read(layout.plan(1), RoundPlan.class).learningRate());
    for (int r = 2; r < 4; r++) {
      assertEquals(FOUR.schedule().rate(r), read(layout.plan(r), RoundPlan.class).learningRate(),
          "round " + r + " follows the schedule over the raised total");
      assertEquals(FOUR.clients(), read(layout.roundManifest(r), RoundManifest.class).accepted(),
          "the continuation's trainers took part in round " + r);
    }
    FederationProgress status = read(layout.status(), FederationProgress.class);
    assertEquals(ProgressPhase.COMPLETED, status.phase());
    assertEquals(List.of(1, 4, 4, 4), List.of(status.generation(), status.totalRounds(), status.roundsCommitted(),
        status.history().size()));

    // A restart with the raised configuration finds the continuation ended, and so does a restarted trainer,
    // without loading a base or training.
    assertEquals(outcome, await(harness.aggregator(layout, FOUR, new FederationMetrics())));
    assertEquals(outcome, await(harness.trainer(layout, "client-000", 4, c -> {
      throw new AssertionError("nothing to train after the end");
    }, new FederationMetrics(), s -> s)));
  }

  @Test
  void loweringTheRoundsIsRefusedWithOneLineAndChangesNothing() throws Exception {
    FederationLayout layout = new FederationLayout("fed/lowered");
    complete(layout, TWO, 2);
    Map<String, byte[]> before = objects(layout);
    ProtocolException e = assertThrows(ProtocolException.class, () -> new Aggregator(reader, layout,
        ProtocolHarness.config(3, 1, 3, 20_000), AggregatorBase.placeholder(ProtocolHarness.adapter(0.5f)),
        ProtocolHarness.FAST, new FederationMetrics(), System.out).run());
    assertEquals("rounds 1 is below the 2 rounds of the federation in fed/lowered (2 committed); committed rounds "
        + "are immutable, so rounds can only be raised", e.getMessage());
    Map<String, byte[]> after = objects(layout);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
  }

  @Test
  void aFailedFederationIsNotContinued() throws Exception {
    FederationLayout layout = new FederationLayout("fed/failed");
    FederationConfig one = ProtocolHarness.config(2, 1, 2, 1_000);
    Future<FederationOutcome> aggregator = harness.aggregator(layout, one, new FederationMetrics());
    harness.trainer(layout, "client-000", new FederationMetrics());
    assertEquals(ProgressPhase.FAILED, await(aggregator).phase());

    ProtocolException e = assertThrows(ProtocolException.class, () -> new Aggregator(reader, layout,
        ProtocolHarness.config(2, 3, 2, 1_000), AggregatorBase.placeholder(ProtocolHarness.adapter(0.5f)),
        ProtocolHarness.FAST, new FederationMetrics(), System.out).run());
    assertTrue(e.getMessage().startsWith("the federation in fed/failed FAILED and is not continued (round 0: only 1"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(reader.exists(layout.continuation(1)));
  }

  @Test
  void aRaiseWhileRunningFinishesTheGenerationAndARestartMidContinuationGivesTheSameBytes() throws Exception {
    FederationLayout reference = new FederationLayout("fed/reference");
    complete(reference, TWO, 2);
    FederationOutcome expected = complete(reference, FOUR, 4);

    FederationLayout layout = new FederationLayout("fed/raised-while-running");
    List<Future<FederationOutcome>> trainers = trainers(layout, FOUR, 4);
    Future<FederationOutcome> first = harness.aggregator(layout, TWO, new FederationMetrics());
    ProtocolHarness.sleepUntilExists(reader, layout.roundManifest(0), 30_000);
    first.cancel(true);
    // Raised to 4 while round 1 of 2 runs: generation 0 ends at 2 rounds under its own schedule, then continues.
    Future<FederationOutcome> second = harness.aggregator(layout, FOUR, new FederationMetrics());
    ProtocolHarness.sleepUntilExists(reader, layout.plan(3), 30_000);
    second.cancel(true);
    FederationOutcome outcome = await(harness.aggregator(layout, FOUR, new FederationMetrics()));
    assertTrue(outcome.completed(), outcome.message());
    for (Future<FederationOutcome> t : trainers) {
      assertEquals(outcome, await(t));
    }
    assertEquals(2, read(layout.outcome(), FederationOutcome.class).roundsCommitted());
    assertEquals(TWO.schedule().rate(1), read(layout.plan(1), RoundPlan.class).learningRate());
    assertEquals(expected.finalAdapter().sha256(), outcome.finalAdapter().sha256(),
        "the same bytes as completing 2 rounds, then continuing to 4 without interruption");
  }
}
