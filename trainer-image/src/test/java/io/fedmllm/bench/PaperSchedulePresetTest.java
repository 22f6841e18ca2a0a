package io.fedmllm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaperSchedulePresetTest {
  @Test
  void runsTwentyFiveRoundsOfOneLocalEpochWithTwoOrThreeOfTenClients() {
    for (String name : new String[] {"paper-2of10", "paper-3of10"}) {
      BenchmarkPlan plan = BenchmarkPlan.preset(name);
      assertEquals(25, plan.rounds(), name);
      assertEquals(10, plan.clients(), name);
      assertEquals(name.equals("paper-2of10") ? 2 : 3, plan.clientsPerRound(), name);
      int meanClientSamples = plan.poolSamples() / plan.clients();
      assertTrue(plan.localSteps() * plan.batchSize() >= meanClientSamples
          && (plan.localSteps() - 1) * plan.batchSize() < meanClientSamples, name + ": one epoch per round");
      BenchmarkPlan full = BenchmarkPlan.preset("full");
      assertEquals(full.learningRate(), plan.learningRate(), 0, "client rate as the full preset");
      assertEquals(full.serverScale(), plan.serverScale(), 0, "server scale as the full preset");
    }
  }
}
