package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
  private static final List<String> IDS =
      IntStream.range(0, 10).mapToObj(i -> String.format("client-%03d", i)).toList();

  @Test
  void samplesTheRequestedCountSortedAndReproducibly() {
    ClientSampler sampler = new ClientSampler(2, 42);
    List<String> round3 = sampler.sample(IDS, 3);
    assertEquals(2, round3.size());
    assertEquals(round3.stream().sorted().toList(), round3);
    assertEquals(round3, new ClientSampler(2, 42).sample(IDS, 3));
  }

  @Test
  void roundsDrawDifferentClients() {
    ClientSampler sampler = new ClientSampler(3, 7);
    long distinct = IntStream.range(0, 10).mapToObj(r -> sampler.sample(IDS, r)).distinct().count();
    assertNotEquals(1, distinct);
  }

  @Test
  void moreThanAvailableMeansAll() {
    assertEquals(IDS, new ClientSampler(50, 1).sample(IDS, 0));
    assertEquals(3, ClientSampler.fraction(0.3, 10, 1).perRound());
  }
}
