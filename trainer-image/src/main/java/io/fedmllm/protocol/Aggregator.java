package io.fedmllm.protocol;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.UpdateRejectedException;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The aggregator process's round loop over object storage. Per round: publish the plan (seeded client sample,
 * deadline, learning rate, inputs), wait for the sampled clients' update manifests until all arrived or the deadline
 * passed, aggregate the arrived updates streaming in ascending client-id order (one update in memory at a time),
 * evaluate, then commit the new global adapter and server state (data first, {@code round.json} last) and refresh
 * the status.
 *
 * <p>Quorum: when the deadline passes with fewer than {@code minClients} updates, the round's deadline is extended
 * once by the round deadline (committed as {@code deadline-extension.json}); if the quorum is still missing, or fewer
 * than {@code minClients} updates pass validation, the federation fails with a one-line reason in its outcome.
 *
 * <p>Restart: {@link #run()} resumes after the last committed {@code round.json}, re-reading the plan of an
 * uncommitted round instead of drawing a new one. Aggregation depends only on committed objects, so a resumed run
 * produces the same bytes as an uninterrupted one.
 */
public final class Aggregator {

  private final ManifestStore manifests;
  private final FederationLayout layout;
  private final FederationConfig config;
  private final ServerStrategy strategy;
  private final TensorMap initialAdapter;
  private final RoundEvaluator evaluator;
  private final ProtocolTiming timing;
  private final FederationMetrics metrics;
  private final PrintStream log;
  private final UpdateLoader loader;
  private final List<RoundManifest> history = new ArrayList<>();
  private RoundMetric zeroShot;

  /** The global adapter and server state a round starts from, with their committed references. */
  private record RoundInputs(TensorMap global, ServerState state, ObjectRef globalRef, ObjectRef stateRef) {}

  /**
   * @param initialAdapter round 0's global adapter (the seeded LoRA initialisation)
   */
  public Aggregator(ManifestStore manifests, FederationLayout layout, FederationConfig config, TensorMap initialAdapter,
      RoundEvaluator evaluator, ProtocolTiming timing, FederationMetrics metrics, PrintStream log) {
    this.manifests = manifests;
    this.layout = layout;
    this.config = config;
    this.strategy = config.createServerStrategy();
    this.initialAdapter = initialAdapter;
    this.evaluator = evaluator;
    this.timing = timing;
    this.metrics = metrics;
    this.log = log;
    this.loader = new UpdateLoader(manifests, layout);
  }

  /** Runs (or resumes) the federation to its end and returns the committed outcome. */
  public FederationOutcome run() {
    publishConfig();
    Optional<FederationOutcome> finished = manifests.read(layout.outcome(), FederationOutcome.class);
    if (finished.isPresent()) {
      log.println("aggregator: federation " + layout.prefix() + " already ended: " + finished.get().phase());
      return finished.get();
    }
    int next = 0;
    while (next < config.rounds() && manifests.exists(layout.roundManifest(next))) {
      history.add(readCommitted(next));
      next++;
    }
    RoundInputs inputs;
    if (next == 0) {
      inputs = genesis();
      zeroShot = evaluator.evaluate(inputs.global()).orElse(null);
    } else {
      RoundManifest last = history.get(history.size() - 1);
      inputs = load(last.global(), last.serverState());
      zeroShot = manifests.read(layout.status(), FederationStatus.class).map(FederationStatus::zeroShot).orElse(null);
      log.println("aggregator: resuming " + layout.prefix() + " after committed round " + (next - 1));
    }
    for (int round = next; round < config.rounds(); round++) {
      try {
        RoundManifest committed = runRound(round, inputs);
        history.add(committed);
        inputs = load(committed.global(), committed.serverState());
        writeStatus(FederationPhase.RUNNING, "round " + round + " committed");
      } catch (QuorumNotReachedException e) {
        return finish(new FederationOutcome(FederationPhase.FAILED, history.size(), e.getMessage(), null));
      }
    }
    RoundManifest last = history.get(history.size() - 1);
    return finish(new FederationOutcome(FederationPhase.COMPLETED, history.size(),
        "completed " + history.size() + " rounds", last.global()));
  }

  private void publishConfig() {
    if (!manifests.publish(layout.federation(), config)) {
      FederationConfig existing = manifests.read(layout.federation(), FederationConfig.class).orElseThrow();
      if (!existing.equals(config)) {
        throw new ProtocolException("storage prefix " + layout.prefix() + " already holds a different federation "
            + "(federation.json differs); use a new prefix or the original settings");
      }
    }
  }

  private RoundInputs genesis() {
    ServerState state = strategy.initialState(initialAdapter);
    ObjectRef globalRef = manifests.putData(UpdateCodec.encode(initialAdapter), sha -> layout.genesis("adapter", sha));
    ObjectRef stateRef = manifests.putData(state.encode(), sha -> layout.genesis("state", sha));
    return new RoundInputs(initialAdapter, state, globalRef, stateRef);
  }

  private RoundInputs load(ObjectRef globalRef, ObjectRef stateRef) {
    TensorMap global = UpdateCodec.decode(manifests.readData(globalRef), globalRef.key());
    try {
      ServerState state = ServerState.decode(manifests.readData(stateRef), stateRef.key());
      return new RoundInputs(global, state, globalRef, stateRef);
    } catch (IOException e) {
      throw new ProtocolException(stateRef.key() + ": " + e.getMessage());
    }
  }

  private RoundManifest readCommitted(int round) {
    return manifests.read(layout.roundManifest(round), RoundManifest.class).orElseThrow(() ->
        new ProtocolException(layout.roundManifest(round) + " disappeared"));
  }

  private RoundManifest runRound(int round, RoundInputs inputs) throws QuorumNotReachedException {
    long started = System.nanoTime();
    metrics.round(round);
    RoundPlan plan = ensurePlan(round, inputs);
    TreeSet<String> arrived = awaitUpdates(plan);

    long aggregationStarted = System.nanoTime();
    Aggregation aggregation = strategy.begin(inputs.global(), inputs.state());
    List<String> accepted = new ArrayList<>();
    List<RejectedUpdate> rejected = new ArrayList<>();
    double lossSum = 0;
    for (String client : arrived) {
      metrics.updateReceived();
      UpdateLoader.Loaded loaded = loader.load(round, client);
      try {
        if (loaded.rejection() != null) {
          throw new UpdateRejectedException(loaded.rejection());
        }
        aggregation.add(loaded.update());
        accepted.add(client);
        lossSum += loaded.manifest().meanLoss();
      } catch (UpdateRejectedException e) {
        rejected.add(new RejectedUpdate(client, e.reason(), e.rejection().message()));
        metrics.updateRejected(e.reason().name());
        log.println("aggregator: round " + round + ": rejected " + e.rejection());
      }
    }
    List<String> missing = plan.clients().stream().filter(c -> !arrived.contains(c)).toList();
    metrics.updatesMissing(missing.size());
    if (accepted.size() < config.minClients()) {
      throw new QuorumNotReachedException("round " + round + ": " + accepted.size() + " accepted update(s), quorum "
          + config.minClients() + "; rejected " + rejected.stream().map(r -> r.client() + " " + r.reason()).toList()
          + ", missing " + missing);
    }
    RoundResult result = aggregation.finish();
    double aggregationSeconds = (System.nanoTime() - aggregationStarted) / 1e9;
    metrics.aggregated(aggregationSeconds);
    RoundMetric metric = evaluator.evaluate(result.global()).orElse(null);
    if (metric != null) {
      metrics.evaluated(metric.metric());
    }
    ObjectRef globalRef = manifests.putData(UpdateCodec.encode(result.global()),
        sha -> layout.roundData(round, "global", sha));
    ObjectRef stateRef = manifests.putData(result.state().encode(), sha -> layout.roundData(round, "state", sha));
    double meanLoss = lossSum / accepted.size();
    metrics.trained(meanLoss, 0);
    double roundSeconds = (System.nanoTime() - started) / 1e9;
    RoundManifest manifest = new RoundManifest(round, plan.clients(), accepted, rejected, missing, meanLoss, metric,
        aggregationSeconds, roundSeconds, globalRef, stateRef);
    if (!manifests.publish(layout.roundManifest(round), manifest)) {
      log.println("aggregator: round " + round + " was committed by another aggregator; adopting its result");
      manifest = readCommitted(round);
    }
    metrics.roundCompleted(roundSeconds);
    log.printf("aggregator: round %d committed: %d accepted, %d rejected, %d missing, loss %.4f%s%n", round,
        accepted.size(), rejected.size(), missing.size(), meanLoss,
        metric == null ? "" : String.format(", %s %.4f", metric.metricName(), metric.metric()));
    return manifest;
  }

  private RoundPlan ensurePlan(int round, RoundInputs inputs) {
    Optional<RoundPlan> existing = manifests.read(layout.plan(round), RoundPlan.class);
    if (existing.isPresent()) {
      return existing.get();
    }
    RoundPlan plan = new RoundPlan(round, config.sampler().sample(config.clients(), round),
        System.currentTimeMillis() + config.roundDeadlineMillis(), config.schedule().rate(round), inputs.globalRef(),
        inputs.stateRef());
    if (!manifests.publish(layout.plan(round), plan)) {
      return manifests.read(layout.plan(round), RoundPlan.class).orElseThrow();
    }
    return plan;
  }

  /** Waits (bounded by the deadline and at most one extension) for the plan's update manifests. */
  private TreeSet<String> awaitUpdates(RoundPlan plan) throws QuorumNotReachedException {
    TreeSet<String> arrived = new TreeSet<>();
    Runnable poll = () -> {
      for (String client : plan.clients()) {
        if (!arrived.contains(client) && manifests.exists(layout.updateManifest(plan.round(), client))) {
          arrived.add(client);
        }
      }
    };
    Waits.until(() -> {
      poll.run();
      return arrived.size() == plan.clients().size();
    }, plan.deadlineEpochMillis(), timing.pollInterval());
    if (arrived.size() >= config.minClients()) {
      return arrived;
    }
    DeadlineExtension extension = manifests.read(layout.deadlineExtension(plan.round()), DeadlineExtension.class)
        .orElseGet(() -> {
          DeadlineExtension e = new DeadlineExtension(plan.round(),
              Math.max(System.currentTimeMillis(), plan.deadlineEpochMillis()) + config.roundDeadlineMillis(),
              arrived.size() + " of " + plan.clients().size() + " updates by the deadline, quorum "
                  + config.minClients());
          manifests.publish(layout.deadlineExtension(plan.round()), e);
          return manifests.read(layout.deadlineExtension(plan.round()), DeadlineExtension.class).orElse(e);
        });
    log.println("aggregator: round " + plan.round() + ": quorum missed at the deadline, extended once: "
        + extension.reason());
    Waits.until(() -> {
      poll.run();
      return arrived.size() == plan.clients().size();
    }, extension.deadlineEpochMillis(), timing.pollInterval());
    if (arrived.size() < config.minClients()) {
      List<String> missing = plan.clients().stream().filter(c -> !arrived.contains(c)).toList();
      throw new QuorumNotReachedException("round " + plan.round() + ": only " + arrived.size() + " of "
          + plan.clients().size() + " updates by the extended deadline, quorum " + config.minClients()
          + "; missing " + missing);
    }
    return arrived;
  }

  private FederationOutcome finish(FederationOutcome outcome) {
    if (!manifests.publish(layout.outcome(), outcome)) {
      outcome = manifests.read(layout.outcome(), FederationOutcome.class).orElse(outcome);
    }
    writeStatus(outcome.phase(), outcome.message());
    log.println("aggregator: federation " + layout.prefix() + " " + outcome.phase() + ": " + outcome.message());
    return outcome;
  }

  private void writeStatus(FederationPhase phase, String message) {
    manifests.overwrite(layout.status(), new FederationStatus(phase, history.size(), config.rounds(), message,
        zeroShot, history, System.currentTimeMillis()));
  }
}
