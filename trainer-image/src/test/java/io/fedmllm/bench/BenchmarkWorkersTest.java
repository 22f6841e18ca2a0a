package io.fedmllm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedmllm.data.partition.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkWorkersTest {
  private static final BenchmarkPlan PLAN = BenchmarkPlan.preset("full")
      .withSettings(List.of(Scenario.parse("aligned:5.0"), Scenario.parse("missing:0.3"), Scenario.parse("cross:5:5"),
          Scenario.parse("hybrid:0.8")))
      .withMethods(List.of(Method.parse("zero-shot"), Method.parse("fedavg")))
      .withSeeds(List.of(1L, 2L));

  private static List<String> specs(List<Scenario> share) {
    return share.stream().map(Scenario::spec).toList();
  }

  private static BenchmarkResult result(String method, String setting, long seed) {
    return new BenchmarkResult(method, setting, seed, 0.5, 0.5, 1);
  }

  @Test
  void sharesSplitTheRemainingWorkEvenlyAndKeepPlanOrder() {
    List<List<Scenario>> shares = BenchmarkWorkers.shares(PLAN, List.of(), 2);
    assertEquals(2, shares.size());
    assertEquals(List.of("aligned:5.0", "cross:5:5"), specs(shares.get(0)));
    assertEquals(List.of("missing:0.3", "hybrid:0.8"), specs(shares.get(1)));
  }

  @Test
  void finishedSettingsAreLeftOutAndPartlyDoneOnesWeighLess() {
    List<BenchmarkResult> done = new ArrayList<>();
    for (long seed : List.of(1L, 2L)) {
      done.add(result("zero-shot", "aligned:5.0", seed));
      done.add(result("fedavg", "aligned:5.0", seed));
    }
    done.add(result("zero-shot", "missing:0.3", 1));
    done.add(result("fedavg", "missing:0.3", 1));
    done.add(result("zero-shot", "missing:0.3", 2));
    // Remaining: missing:0.3 1 cell, cross:5:5 4, hybrid:0.8 4: cross and hybrid first, one each, then missing
    // onto the first of the two equally loaded shares.
    List<List<Scenario>> shares = BenchmarkWorkers.shares(PLAN, done, 2);
    assertEquals(List.of("missing:0.3", "cross:5:5"), specs(shares.get(0)));
    assertEquals(List.of("hybrid:0.8"), specs(shares.get(1)));
  }

  @Test
  void neverMoreSharesThanOpenSettings() {
    assertEquals(4, BenchmarkWorkers.shares(PLAN, List.of(), 8).size());
    assertEquals(1, BenchmarkWorkers.shares(PLAN, List.of(), 1).size());
    assertEquals(List.of(), BenchmarkWorkers.shares(PLAN.withSettings(List.of()), List.of(), 2));
    assertThrows(IllegalArgumentException.class, () -> BenchmarkWorkers.shares(PLAN, List.of(), 0));
  }

  @Test
  void planOrderIsSettingThenSeedThenMethodWithOneResultPerCell() {
    List<BenchmarkResult> scrambled = List.of(
        result("fedavg", "hybrid:0.8", 1),
        new BenchmarkResult("zero-shot", "aligned:5.0", 2, 0.9, 0.9, 1),
        result("fedavg", "aligned:5.0", 1),
        result("zero-shot", "aligned:5.0", 1),
        result("zero-shot", "aligned:5.0", 2),
        result("fedprox", "aligned:1.0", 1));
    List<BenchmarkResult> ordered = PLAN.inPlanOrder(scrambled);
    assertEquals(List.of(
        result("zero-shot", "aligned:5.0", 1),
        result("fedavg", "aligned:5.0", 1),
        new BenchmarkResult("zero-shot", "aligned:5.0", 2, 0.9, 0.9, 1),
        result("fedavg", "hybrid:0.8", 1),
        result("fedprox", "aligned:1.0", 1)), ordered, "the first result of a cell wins; unplanned ones go last");
  }

  @Test
  void recordedResultsIncludeThoseOfInterruptedWorkers(@TempDir Path out) throws Exception {
    new ResultTable(List.of(result("fedavg", "aligned:5.0", 1))).write(out, "t", "roc_auc");
    Files.createDirectories(out.resolve("worker-2"));
    Files.write(out.resolve("worker-2/results.csv"), new ResultTable(List.of(result("fedavg", "hybrid:0.8", 1)))
        .csv().getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(out.resolve("notes"));
    Files.writeString(out.resolve("notes/results.csv"), "not read");
    assertEquals(List.of(result("fedavg", "aligned:5.0", 1), result("fedavg", "hybrid:0.8", 1)),
        BenchmarkWorkers.recorded(out));
    assertEquals(List.of(), BenchmarkWorkers.recorded(out.resolve("absent")));
  }
}
