package io.fedmllm.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.DatasetFormat;
import io.fedmllm.data.DatasetLoader;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioPartitionerTest {

  @Test
  void labelSkewThenScenarioIsReproducible() {
    List<Sample> pool = new SyntheticGenerator(42).pool(Task.CRISIS, 400);
    ScenarioPartitioner partitioner = new ScenarioPartitioner(10, 42);
    List<List<Sample>> first = partitioner.partition(pool, Scenario.parse("missing:0.3"));
    List<List<Sample>> second = partitioner.partition(pool, Scenario.parse("missing:0.3"));
    assertEquals(first, second);
    assertEquals(10, first.size());
    assertEquals(400, Partitions.flatten(first).size());
  }

  @Test
  void alignedAlphaOverridesTheDefaultSkew() {
    List<Sample> pool = new SyntheticGenerator(1).pool(Task.CRISIS, 800);
    ScenarioPartitioner partitioner = new ScenarioPartitioner(10, 42, 1000);
    double skewed = Partitions.meanLabelEntropy(partitioner.partition(pool, Scenario.parse("aligned:0.1")));
    double even = Partitions.meanLabelEntropy(partitioner.partition(pool, Scenario.parse("hybrid:1.0")));
    assertTrue(skewed < even - 1, skewed + " vs " + even);
  }

  @Test
  void worksOnRealDatasetReaders() throws IOException {
    List<Sample> crisis = DatasetLoader.load(DatasetFormat.CRISISMMD, Fixtures.path("crisismmd"), "train");
    List<List<Sample>> clients = new ScenarioPartitioner(3, 42).partition(crisis, Scenario.parse("cross:1:2"));
    assertEquals(3, clients.size());
    clients.forEach(client -> assertTrue(client.size() >= 1));
    assertEquals(1, clients.stream().filter(c -> c.stream().allMatch(s -> !s.hasText())).count());
  }
}
