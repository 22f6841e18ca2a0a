package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A trainer process's loop for one client. Reads the federation's configuration and loads its one base model (the
 * one the aggregator published in {@code base.json}; a trainer never pre-trains), then walks the rounds in order:
 * waits for each plan (bounded by the idle limit), trains when sampled, and commits its update (data objects, then
 * {@code update.json} with If-None-Match). It never trains a round it already committed, so a restarted trainer and a
 * retried upload are harmless. It exits when the federation's outcome appears, returning it, unless the federation
 * COMPLETED fewer rounds than the trainer was started for: then it waits (bounded) for the continuation and goes on.
 * The aggregator's verdict on its previous update (accepted or rejected with a reason) is logged and counted as it
 * goes. A trainer may start before its client is a member (the federation's membership changes between rounds): it
 * takes part in the rounds whose plan samples it, with its position in that round's pool in its training seed.
 */
public final class Trainer {

  /** Builds a client's training once the federation's configuration and base are known. */
  @FunctionalInterface
  public interface TrainingFactory {
    /**
     * Called once per process; loading the base (the engine's {@code io.fedmllm.engine.EngineBase#load}) happens here.
     *
     * @param base the committed base manifest; {@code shared} fetches and verifies its bytes
     */
    LocalTraining create(FederationConfig config, BaseManifest base, SharedBase shared);
  }

  private final ManifestStore manifests;
  private final FederationLayout layout;
  private final String client;
  private final int targetRounds;
  private final TrainingFactory trainingFactory;
  private final ProtocolTiming timing;
  private final FederationMetrics metrics;
  private final PrintStream log;
  private int lastReportedRound = -1;

  /**
   * @param targetRounds the rounds this trainer was started for (its manifest's {@code rounds}): when the federation
   *     COMPLETED fewer, the trainer waits for the continuation that raises them; 0 to end with any outcome
   */
  public Trainer(ManifestStore manifests, FederationLayout layout, String client, int targetRounds,
      TrainingFactory trainingFactory, ProtocolTiming timing, FederationMetrics metrics, PrintStream log) {
    this.manifests = manifests;
    this.layout = layout;
    this.client = FederationLayout.requireClientId(client);
    this.targetRounds = targetRounds;
    this.trainingFactory = trainingFactory;
    this.timing = timing;
    this.metrics = metrics;
    this.log = log;
  }

  /**
   * Takes part in the federation until it ends.
   *
   * @throws ProtocolException when the aggregator stays silent for longer than the idle limit
   */
  public FederationOutcome run() {
    FederationConfig first = await(() -> manifests.read(layout.federation(), FederationConfig.class),
        "the federation's configuration (" + layout.federation() + ")");
    Generation generation = Generation.latest(manifests, layout, first);
    Optional<FederationOutcome> ended = manifests.read(generation.outcomeKey(layout), FederationOutcome.class);
    if (ended.isPresent() && !awaitsContinuation(ended.get())) {
      log.println(client + ": federation already " + ended.get().phase() + ": " + ended.get().message());
      return ended.get();
    }
    BaseManifest base = await(() -> manifests.read(layout.base(), BaseManifest.class),
        "the federation's base model (" + layout.base() + ")");
    LocalTraining training;
    try {
      training = trainingFactory.create(generation.config(), base, new SharedBase(manifests, layout));
    } catch (TrainerFailedException e) {
      recordFailure(manifests, layout, client, e.getMessage(), log);
      throw e;
    }
    clearFailure();
    int round = 0;
    while (true) {
      Generation g = generation;
      for (; round < g.config().rounds(); round++) {
        final int r = round;
        // One GET per poll while the plan is missing; the outcome (which takes precedence: a federation that ended
        // runs no more rounds) is checked when the plan appears and otherwise at most once per poll interval.
        long[] outcomeCheckedAt = {0L};
        Optional<RoundPlan> plan = await(() -> {
          Optional<RoundPlan> p = manifests.read(layout.plan(r), RoundPlan.class);
          long now = System.currentTimeMillis();
          if (p.isPresent() || now - outcomeCheckedAt[0] >= timing.pollInterval().toMillis()) {
            outcomeCheckedAt[0] = now;
            if (manifests.exists(g.outcomeKey(layout))) {
              return Optional.of(Optional.empty());
            }
          }
          return p.map(Optional::of);
        }, "the plan of round " + r);
        if (plan.isEmpty()) {
          break;
        }
        reportVerdict(round - 1);
        metrics.round(round);
        if (plan.get().clients().contains(client)) {
          participate(plan.get().withPoolDefault(g.config().clients()), training, g.config().transferDtype());
        }
      }
      FederationOutcome outcome = await(() -> manifests.read(g.outcomeKey(layout), FederationOutcome.class),
          "the federation's outcome");
      reportVerdict(outcome.roundsCommitted() - 1);
      if (awaitsContinuation(outcome)) {
        log.println(client + ": federation completed " + outcome.roundsCommitted() + " rounds; waiting for its "
            + "continuation to " + targetRounds);
        int next = g.number() + 1;
        Continuation c = await(() -> manifests.read(layout.continuation(next), Continuation.class),
            "the continuation to " + targetRounds + " rounds (" + layout.continuation(next) + ")");
        generation = new Generation(next, c.fromRound(), c.federation());
        log.println(client + ": federation continued: " + c.reason());
        continue;
      }
      log.println(client + ": federation " + outcome.phase() + ": " + outcome.message());
      return outcome;
    }
  }

  /** Whether this trainer was started for more rounds than the federation completed. */
  private boolean awaitsContinuation(FederationOutcome outcome) {
    return outcome.completed() && outcome.roundsCommitted() < targetRounds;
  }

  private void participate(RoundPlan plan, LocalTraining training, TransferDtype transferDtype) {
    int round = plan.round();
    Optional<UpdateManifest> committed = manifests.read(layout.updateManifest(round, client), UpdateManifest.class);
    if (committed.isPresent()) {
      log.println(client + ": round " + round + ": update already committed, not training again");
      if (training.keepsStateAcrossRounds()) {
        training.adoptCommitted(plan, UpdateCodec.decode(manifests.readData(plan.global()), plan.global().key()),
            serverState(plan), UpdateCodec.decode(manifests.readData(committed.get().weights()),
                committed.get().weights().key()), committed.get().steps());
      }
      return;
    }
    if (System.currentTimeMillis() >= deadline(plan)) {
      log.println(client + ": round " + round + ": deadline passed before training started; skipping the round");
      return;
    }
    TensorMap global = UpdateCodec.decode(manifests.readData(plan.global()), plan.global().key());
    TrainedUpdate update;
    try {
      update = training.train(plan, global, serverState(plan));
    } catch (TrainerFailedException | UncheckedIOException e) {
      // Reading the client's own data failed (e.g. a picture whose body cannot be decoded): no retry helps.
      recordFailure(manifests, layout, client, "round " + round + ": " + e.getMessage(), log);
      throw e;
    }
    metrics.trained(update.meanLoss(), update.samplesPerSecond());
    metrics.trainingMemory(update.peakMemoryBytes(), update.memoryKind());
    commit(round, update, transferDtype);
  }

  private ServerState serverState(RoundPlan plan) {
    try {
      return ServerState.decode(manifests.readData(plan.serverState()), plan.serverState().key());
    } catch (IOException e) {
      throw new ProtocolException(plan.serverState().key() + ": " + e.getMessage());
    }
  }

  /**
   * Tells the aggregator that {@code client} cannot take part, so that it drops the client from its rounds at once
   * instead of waiting for the deadline: overwrites {@code clients/CLIENT/failure.json} (one atomic put).
   *
   * @param reason one line naming the file, line and field when known
   */
  public static void recordFailure(ManifestStore manifests, FederationLayout layout, String client, String reason,
      PrintStream log) {
    manifests.overwrite(layout.trainerFailure(client),
        new TrainerFailure(client, reason, System.currentTimeMillis(), true));
    log.println(client + ": cannot take part, recorded for the aggregator: " + reason);
  }

  /** A start that got past its pre-flight retracts the failure an earlier start recorded. */
  private void clearFailure() {
    String key = layout.trainerFailure(client);
    manifests.read(key, TrainerFailure.class).filter(TrainerFailure::active).ifPresent(f -> {
      manifests.overwrite(key, new TrainerFailure(client, f.reason(), System.currentTimeMillis(), false));
      log.println(client + ": data usable now; retracted the failure recorded earlier (" + f.reason() + ")");
    });
  }

  /**
   * Data objects first (in the federation's transfer dtype), then the manifest; a manifest already committed by an
   * earlier attempt wins.
   */
  void commit(int round, TrainedUpdate update, TransferDtype transferDtype) {
    ObjectRef weights = manifests.putData(UpdateCodec.encode(update.weights(), transferDtype),
        sha -> layout.updateData(round, client, "weights", sha));
    ObjectRef control = update.controlDelta().isEmpty() ? null
        : manifests.putData(UpdateCodec.encode(update.controlDelta(), transferDtype),
            sha -> layout.updateData(round, client, "control", sha));
    UpdateManifest manifest = new UpdateManifest(round, client, update.numSamples(), update.steps(),
        update.meanLoss(), update.samplesPerSecond(), weights, control);
    if (manifests.publish(layout.updateManifest(round, client), manifest)) {
      String memory = update.peakMemoryBytes() > 0
          ? String.format(", peak memory %.0f MiB %s", update.peakMemoryBytes() / 1048576.0, update.memoryKind())
          : "";
      log.printf("%s: round %d: update committed (%d samples, loss %.4f%s)%n", client, round, update.numSamples(),
          update.meanLoss(), memory);
    } else {
      log.println(client + ": round " + round + ": an earlier attempt already committed an update; keeping it");
    }
  }

  private long deadline(RoundPlan plan) {
    return manifests.read(layout.deadlineExtension(plan.round()), DeadlineExtension.class)
        .map(DeadlineExtension::deadlineEpochMillis).orElse(plan.deadlineEpochMillis());
  }

  private void reportVerdict(int round) {
    if (round <= lastReportedRound) {
      return;
    }
    lastReportedRound = round;
    manifests.read(layout.roundManifest(round), RoundManifest.class).ifPresent(m -> m.rejected().stream()
        .filter(r -> r.client().equals(client)).forEach(r -> {
          metrics.updateRejected(r.reason().name());
          log.println(client + ": round " + round + ": update rejected: " + r.reason() + ": " + r.message());
        }));
  }

  /** Polls until {@code probe} yields a value; the wait is bounded by the idle limit. */
  private <T> T await(java.util.function.Supplier<Optional<T>> probe, String what) {
    long deadline = System.currentTimeMillis() + timing.trainerMaxIdle().toMillis();
    Object[] found = new Object[1];
    boolean ok = Waits.until(() -> {
      Optional<T> v = probe.get();
      v.ifPresent(x -> found[0] = x);
      return v.isPresent();
    }, deadline, timing.pollInterval());
    if (!ok) {
      throw new ProtocolException(client + ": waited " + timing.trainerMaxIdle().toSeconds() + " s for " + what
          + " in " + manifests.objects().describe() + "/" + layout.prefix() + "; giving up");
    }
    @SuppressWarnings("unchecked")
    T value = (T) found[0];
    return value;
  }
}
