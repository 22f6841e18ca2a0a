package io.fedmllm.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirichletPartitionerTest {

  private static final List<Sample> SAMPLES = Partitions.labelled(8, 100);

  @Test
  void sameSeedSamePartitionOtherSeedOtherPartition() {
    List<List<Sample>> first = new DirichletPartitioner(0.5, 42).partition(SAMPLES, 10);
    List<List<Sample>> again = new DirichletPartitioner(0.5, 42).partition(SAMPLES, 10);
    List<List<Sample>> other = new DirichletPartitioner(0.5, 43).partition(SAMPLES, 10);
    assertEquals(ids(first), ids(again));
    assertNotEquals(ids(first), ids(other));
  }

  @Test
  void everySampleGoesToExactlyOneClient() {
    List<List<Sample>> clients = new DirichletPartitioner(1.0, 42).partition(SAMPLES, 10);
    List<Sample> all = Partitions.flatten(clients);
    assertEquals(SAMPLES.size(), all.size());
    assertEquals(new HashSet<>(SAMPLES), new HashSet<>(all));
  }

  @Test
  void everyClientGetsASampleEvenWithExtremeSkewAndFewSamples() {
    for (long seed = 0; seed < 20; seed++) {
      List<List<Sample>> clients =
          new DirichletPartitioner(0.01, seed).partition(Partitions.labelled(2, 8), 15);
      assertEquals(15, clients.size());
      clients.forEach(client -> assertTrue(client.size() >= 1));
      assertEquals(16, Partitions.flatten(clients).size());
    }
  }

  @Test
  void labelSkewGrowsAsAlphaShrinks() {
    double[] alphas = {100, 5, 1, 0.5, 0.1};
    double previous = Double.MAX_VALUE;
    for (double alpha : alphas) {
      double entropy = 0;
      for (long seed = 0; seed < 5; seed++) {
        entropy += Partitions.meanLabelEntropy(new DirichletPartitioner(alpha, seed).partition(SAMPLES, 10));
      }
      entropy /= 5;
      assertTrue(entropy < previous, "alpha " + alpha + " entropy " + entropy + " vs " + previous);
      previous = entropy;
    }
    double uniform =
        Partitions.meanLabelEntropy(new DirichletPartitioner(1000, 1).partition(SAMPLES, 10));
    assertTrue(uniform > 2.9, "near-even split should approach 3 bits: " + uniform);
  }

  @Test
  void answerStringIsTheLabelForUnlabelledVqa() {
    List<Sample> unlabelled =
        new SyntheticGenerator(4).pool(Task.VQA, 300).stream()
            .map(s -> new Sample(s.id(), s.image(), s.text(), s.instruction(), s.answer(),
                java.util.Optional.empty(), List.of()))
            .toList();
    List<List<Sample>> clients = new DirichletPartitioner(0.1, 42).partition(unlabelled, 5);
    assertTrue(Partitions.meanLabelEntropy(clients) < 2.0);
    assertEquals(300, Partitions.flatten(clients).size());
  }

  @Test
  void samplesKeepTheirInputOrderWithinAClient() {
    List<List<Sample>> clients = new DirichletPartitioner(0.5, 42).partition(SAMPLES, 4);
    for (List<Sample> client : clients) {
      for (int i = 1; i < client.size(); i++) {
        assertTrue(SAMPLES.indexOf(client.get(i - 1)) < SAMPLES.indexOf(client.get(i)));
      }
    }
  }

  @Test
  void rejectsImpossibleRequests() {
    assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(Double.NaN, 1));
    IllegalArgumentException tooFew =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DirichletPartitioner(1, 1).partition(Partitions.labelled(1, 3), 4));
    assertTrue(tooFew.getMessage().contains("only 3 samples"), tooFew.getMessage());
  }

  @Test
  void gammaDrawsHaveTheRightMean() {
    Random rng = new Random(7);
    for (double shape : new double[] {0.3, 1, 4}) {
      double sum = 0;
      for (int i = 0; i < 20000; i++) {
        sum += DirichletSampler.gamma(shape, rng);
      }
      assertEquals(shape, sum / 20000, 0.05 * Math.max(1, shape));
    }
  }

  private static List<Set<String>> ids(List<List<Sample>> clients) {
    return clients.stream().map(c -> (Set<String>) new HashSet<>(c.stream().map(Sample::id).toList())).toList();
  }
}
