package io.fedmllm.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  /** 40 clients with 50 samples each, all with image and text. */
  private static final List<List<Sample>> CLIENTS =
      new DirichletPartitioner(1000, 1).partition(Partitions.labelled(4, 500), 40);

  @Test
  void alignedKeepsEverySampleAndSetsTheLabelSkew() {
    Scenario aligned = new Scenario.Aligned(0.5);
    assertEquals(CLIENTS, aligned.apply(CLIENTS, 42));
    assertEquals(OptionalDouble.of(0.5), aligned.labelSkewAlpha());
  }

  @Test
  void missingDropsEachModalityWithProbabilityBetaAndNeverBoth() {
    for (double beta : new double[] {0.3, 0.5}) {
      List<Sample> all = Partitions.flatten(new Scenario.Missing(beta).apply(CLIENTS, 42));
      double imageMissing = all.stream().filter(s -> !s.hasImage()).count() / (double) all.size();
      double textMissing = all.stream().filter(s -> !s.hasText()).count() / (double) all.size();
      assertEquals(beta, imageMissing, 0.02);
      assertEquals(beta, textMissing, 0.02);
      assertTrue(all.stream().allMatch(s -> s.hasImage() || s.hasText()));
      assertInstructionsMatchModalities(all);
    }
    List<Sample> none = Partitions.flatten(new Scenario.Missing(0).apply(CLIENTS, 42));
    assertTrue(none.stream().allMatch(s -> s.hasImage() && s.hasText()));
  }

  @Test
  void missingIsDeterministicPerSeed() {
    Scenario missing = new Scenario.Missing(0.4);
    assertEquals(missing.apply(CLIENTS, 7), missing.apply(CLIENTS, 7));
    assertFalse(missing.apply(CLIENTS, 7).equals(missing.apply(CLIENTS, 8)));
  }

  @Test
  void crossMakesExactlyTheRequestedNumberOfImageOnlyClients() {
    List<List<Sample>> ten = CLIENTS.subList(0, 10);
    for (int[] ratio : new int[][] {{3, 7}, {5, 5}, {7, 3}}) {
      List<List<Sample>> clients = new Scenario.Cross(ratio[0], ratio[1]).apply(ten, 42);
      long imageOnly =
          clients.stream().filter(c -> c.stream().allMatch(s -> s.hasImage() && !s.hasText())).count();
      long textOnly =
          clients.stream().filter(c -> c.stream().allMatch(s -> !s.hasImage() && s.hasText())).count();
      assertEquals(ratio[0], imageOnly);
      assertEquals(ratio[1], textOnly);
      assertInstructionsMatchModalities(Partitions.flatten(clients));
    }
    assertEquals(1, new Scenario.Cross(3, 7).imageOnlyClients(4));
    assertEquals(0, new Scenario.Cross(0, 1).imageOnlyClients(10));
  }

  @Test
  void hybridGivesEachClientEachModalityWithProbabilityP() {
    List<List<Sample>> clients = new Scenario.Hybrid(0.7).apply(CLIENTS, 42);
    int both = 0;
    int imageOnly = 0;
    int textOnly = 0;
    int mixed = 0;
    for (List<Sample> client : clients) {
      boolean allImages = client.stream().allMatch(Sample::hasImage);
      boolean allTexts = client.stream().allMatch(Sample::hasText);
      if (allImages && allTexts) {
        both++;
      } else if (allImages) {
        imageOnly++;
      } else if (allTexts) {
        textOnly++;
      } else {
        mixed++;
        assertTrue(client.stream().allMatch(s -> s.hasImage() != s.hasText()), "one modality per sample");
      }
    }
    assertEquals(40, both + imageOnly + textOnly + mixed);
    assertEquals(0.7 * 0.7 * 40, both, 7);
    assertEquals(0.7 * 0.3 * 40, imageOnly, 6);
    assertEquals(0.7 * 0.3 * 40, textOnly, 6);
    assertEquals(0.3 * 0.3 * 40, mixed, 4);
    assertInstructionsMatchModalities(Partitions.flatten(clients));
  }

  @Test
  void hybridWithPZeroLeavesEverySampleOneModality() {
    List<Sample> all = Partitions.flatten(new Scenario.Hybrid(0).apply(CLIENTS, 3));
    long images = all.stream().filter(Sample::hasImage).count();
    assertTrue(all.stream().allMatch(s -> s.hasImage() != s.hasText()));
    assertEquals(0.5, images / (double) all.size(), 0.03);
  }

  @Test
  void aSampleNeverLosesItsLastModality() {
    List<List<Sample>> textOnly =
        List.of(CLIENTS.get(0).stream().map(Sample::withoutImage).toList(), CLIENTS.get(1));
    List<List<Sample>> crossed = new Scenario.Cross(1, 1).apply(textOnly, 1);
    assertTrue(Partitions.flatten(crossed).stream().allMatch(s -> s.hasImage() || s.hasText()));
  }

  @Test
  void parsesTheCommandLineSpellings() {
    assertEquals(new Scenario.Aligned(0.5), Scenario.parse("aligned:0.5"));
    assertEquals(new Scenario.Missing(0.3), Scenario.parse("missing:0.3"));
    assertEquals(new Scenario.Missing(0.3), Scenario.parse("Missing:30%"));
    assertEquals(new Scenario.Cross(3, 7), Scenario.parse("cross:3:7"));
    assertEquals(new Scenario.Hybrid(0.7), Scenario.parse("hybrid:0.7"));
    for (String spec : List.of("aligned:5.0", "missing:0.4", "cross:7:3", "hybrid:0.6")) {
      assertEquals(spec, Scenario.parse(spec).spec());
    }
  }

  @Test
  void rejectsBadSpecsWithAUsefulMessage() {
    assertMessage("dropout:0.3", "unknown scenario", "e.g. aligned:0.5");
    assertMessage("missing", "malformed scenario", "missing:<beta");
    assertMessage("cross:3", "malformed scenario", "cross:<I>:<T>");
    assertMessage("hybrid:abc", "malformed scenario", "hybrid:<p");
    assertMessage("missing:0.7", "invalid scenario", "[0, 0.5]");
    assertMessage("hybrid:1.5", "invalid scenario", "[0, 1]");
    assertMessage("aligned:-1", "invalid scenario", "positive");
    assertMessage("cross:0:0", "invalid scenario", "not both 0");
  }

  private static void assertMessage(String spec, String... fragments) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse(spec));
    for (String fragment : fragments) {
      assertTrue(error.getMessage().contains(fragment), spec + " -> " + error.getMessage());
    }
  }

  private static void assertInstructionsMatchModalities(List<Sample> samples) {
    for (Sample sample : samples) {
      assertEquals(Prompts.matchModalities(sample).instruction(), sample.instruction(), sample.id());
    }
  }
}
