package io.fedmllm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Task;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import io.fedmllm.strategy.ServerStrategyConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which run folder a session of {@code fedmllm local} continues, from folders' records and what storage holds. */
class ResumableRunsTest {
  private static final FederationConfig FOUR = config(4, 42);

  @TempDir Path runs;

  private final Map<Path, StoredFederation> storage = new HashMap<>();
  private final ResumableRuns.Inspector inspector = f -> Optional.ofNullable(storage.get(f.path()));

  private static FederationConfig config(int rounds, long seed) {
    return new FederationConfig("tiny", Task.HATEFUL, List.of("a", "b"), rounds, 2, null, 2, 60_000, seed,
        new CosineSchedule(1e-2, rounds, 0, 0.1), TrainingConfig.paperDefault(4, 1).withLocalSteps(1),
        LoraConfig.paperDefault(), ClientStrategy.none(), ServerStrategyConfig.defaults("fedavg"));
  }

  private Path folder(String name, RunRecord.State state, FederationConfig stored, int committed) throws IOException {
    Path dir = Files.createDirectories(runs.resolve(name).resolve("logs")).getParent();
    if (state != null) {
      new RunFolder(dir).record(new RunRecord("demo", "/m.yaml", state, committed, stored.rounds(), 0));
    }
    storage.put(dir, new StoredFederation(stored, committed, Optional.empty()));
    return dir;
  }

  private Optional<Path> latest(FederationConfig requested) throws IOException {
    Optional<ResumableRuns.Found> found = ResumableRuns.latest(runs, "demo", requested, inspector, "fresh");
    found.ifPresent(f -> {
      try {
        f.lock().close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    return found.map(f -> f.folder().path());
  }

  @Test
  void theNewestKilledOrInterruptedRunWithCommittedRoundsIsContinued() throws IOException {
    folder("demo-20261201-100000", RunRecord.State.INTERRUPTED, FOUR, 1);
    Path killed = folder("demo-20261202-100000", RunRecord.State.RUNNING, FOUR, 2);
    folder("demo-20261202-110000", RunRecord.State.RUNNING, FOUR, 0);
    folder("other-20261203-100000", RunRecord.State.RUNNING, FOUR, 3);
    assertEquals(Optional.of(killed), latest(FOUR));
  }

  @Test
  void aFolderWithoutARecordButWithCommittedRoundsIsInterrupted() throws IOException {
    Path old = folder("demo-20261202-100000", null, FOUR, 1);
    assertEquals(Optional.of(old), latest(FOUR));
  }

  @Test
  void aRunThatEndedSupersedesOlderInterruptedOnes() throws IOException {
    folder("demo-20261201-100000", RunRecord.State.INTERRUPTED, FOUR, 1);
    folder("demo-20261202-100000", RunRecord.State.COMPLETED, FOUR, 4);
    assertEquals(Optional.empty(), latest(FOUR));
  }

  @Test
  void aRunHeldByARunningSessionIsNotTaken() throws IOException {
    Path older = folder("demo-20261202-100000", RunRecord.State.INTERRUPTED, FOUR, 1);
    Path running = folder("demo-20261202-100000-2", RunRecord.State.RUNNING, FOUR, 2);
    try (RunFolder.Lock held = new RunFolder(running).tryLock().orElseThrow()) {
      assertEquals(Optional.of(older), latest(FOUR));
    }
    assertEquals(Optional.of(running), latest(FOUR));
  }

  @Test
  void moreRoundsContinueButAnotherSeedIsRefusedNamingTheField() throws IOException {
    Path run = folder("demo-20261202-100000", RunRecord.State.INTERRUPTED, FOUR, 1);
    assertEquals(Optional.of(run), latest(config(6, 42)));
    IOException refused = assertThrows(IOException.class, () -> latest(config(4, 7)));
    assertEquals(run + ": the interrupted run (1 of 4 rounds committed) has another configuration: the manifest "
        + "differs in seed, which would change what its committed rounds mean; restore the manifest to resume it, or "
        + "start fresh with: fresh", refused.getMessage());
    IOException lowered = assertThrows(IOException.class, () -> latest(config(2, 42)));
    assertTrue(lowered.getMessage().contains("differs in rounds (4 lowered"), lowered.getMessage());
  }

  @Test
  void anIncompatibleNewerRunLeavesAnOlderCompatibleOneToContinue() throws IOException {
    Path compatible = folder("demo-20261201-100000", RunRecord.State.INTERRUPTED, FOUR, 1);
    folder("demo-20261202-100000", RunRecord.State.INTERRUPTED, config(4, 7), 1);
    assertEquals(Optional.of(compatible), latest(FOUR));
  }
}
