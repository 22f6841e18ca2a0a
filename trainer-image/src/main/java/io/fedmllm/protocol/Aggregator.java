package io.fedmllm.protocol;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ObjectRef;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RejectedUpdate;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.api.progress.RoundMetric;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The aggregator process's round loop over object storage. Per round: publish the plan (seeded client sample,
 * deadline, learning rate, inputs), wait for the sampled clients' update manifests until all arrived or the deadline
 * passed, aggregate the arrived updates streaming in ascending client-id order (one update in memory at a time),
 * evaluate, then commit the new global adapter and server state (data first, {@code round.json} last) and refresh
 * the status.
 *
 * <p>Base: before the first plan of a run the federation's one base model is settled in storage ({@code base.json},
 * see {@link AggregatorBase}); round 0's adapter and the evaluator are built on it.
 *
 * <p>Quorum: when the deadline passes with fewer than {@code minClients} updates, the round's deadline is extended
 * once by the round deadline (committed as {@code deadline-extension.json}); if the quorum is still missing, or fewer
 * than {@code minClients} updates pass validation, the federation fails with a one-line reason in its outcome. A
 * sampled client whose trainer recorded a {@link TrainerFailure} is dropped from the round at once; when the others
 * cannot reach {@code minClients}, the federation fails at once, naming the client and the reason.
 *
 * <p>Membership: the pool of each round is asked of a {@link Membership} when its plan is drawn and recorded in the
 * plan; the sample, SCAFFOLD's client count and the clients' training seeds follow it. A round is planned only when
 * its pool can reach the quorum: round 0 waits for its {@link StartPolicy}, a later round for the quorum's worth of
 * members (at most one round deadline, then the federation fails). A sampled client that leaves while its round
 * waits is dropped from the round at once, like a failed trainer.
 *
 * <p>Restart: {@link #run()} resumes after the last committed {@code round.json}, re-reading the plan of an
 * uncommitted round instead of drawing a new one. Aggregation depends only on committed objects, so a resumed run
 * produces the same bytes as an uninterrupted one.
 *
 * <p>Continuation: a configuration whose only change is more {@code rounds} (see {@link ConfigChange}) continues a
 * COMPLETED federation: a new generation is committed ({@code continuations/GGGGG/continuation.json}) and the rounds
 * after the committed ones run under it, ending with that generation's own outcome. A running generation is finished
 * first; a FAILED federation is never continued, and fewer rounds are refused.
 */
public final class Aggregator {

  private final ManifestStore manifests;
  private final FederationLayout layout;
  private final FederationConfig requested;
  private final Membership membership;
  private final StartPolicy startPolicy;
  private final AggregatorBase base;
  private final ProtocolTiming timing;
  private final FederationMetrics metrics;
  private final PrintStream log;
  private final UpdateLoader loader;
  /**
   * Updates fetched, verified and decoded ahead of the one being folded ({@link IncrementalFold}, ascending client
   * order as before): storage and decoding overlap the fold and the wait for the other clients, and memory stays
   * O(adapter), at most this many updates plus the one folded.
   */
  static final int PREFETCH_AHEAD = 2;
  private final List<RoundManifest> history = new ArrayList<>();
  private AggregatorBase.Prepared prepared;
  private Generation generation;
  private RoundMetric zeroShot;
  private List<String> lastPool;
  /** The inputs of the next round when this process committed the round that produced them, else null. */
  private RoundInputs ownCommit;

  /** The global adapter and server state a round starts from, with their committed references. */
  private record RoundInputs(TensorMap global, ServerState state, ObjectRef globalRef, ObjectRef stateRef) {}

  /**
   * @param config the federation as configured now (a raise of its rounds continues a completed federation)
   * @param base settles the federation's base in storage and builds round 0's adapter and the evaluator on it
   */
  public Aggregator(ManifestStore manifests, FederationLayout layout, FederationConfig config, AggregatorBase base,
      ProtocolTiming timing, FederationMetrics metrics, PrintStream log) {
    this(manifests, layout, config, Membership.fixed(config.clients()), StartPolicy.quorum(config), base, timing,
        metrics, log);
  }

  /**
   * @param membership who belongs to the federation now, asked before every plan and during every wait
   * @param startPolicy when round 0 may start
   */
  public Aggregator(ManifestStore manifests, FederationLayout layout, FederationConfig config, Membership membership,
      StartPolicy startPolicy, AggregatorBase base, ProtocolTiming timing, FederationMetrics metrics,
      PrintStream log) {
    this.manifests = manifests;
    this.layout = layout;
    this.requested = config;
    this.membership = membership;
    this.startPolicy = startPolicy;
    this.base = base;
    this.timing = timing;
    this.metrics = metrics;
    this.log = log;
    this.loader = new UpdateLoader(manifests, layout);
  }

  /**
   * Runs (or resumes, or continues) the federation to its end and returns the committed outcome.
   *
   * @throws ProtocolException with a one-line reason when the prefix holds a different federation, the rounds were
   *     lowered, or more rounds are asked of a FAILED federation
   */
  public FederationOutcome run() {
    FederationConfig first = publishConfig();
    while (true) {
      generation = Generation.latest(manifests, layout, first);
      Optional<FederationOutcome> ended = manifests.read(generation.outcomeKey(layout), FederationOutcome.class);
      ConfigChange change = ConfigChange.between(generation.config(), requested);
      switch (change.kind()) {
        case INCOMPATIBLE -> throw new ProtocolException("storage prefix " + layout.prefix() + " already holds a "
            + "different federation (it differs in " + String.join(", ", change.differences()) + "); use a new "
            + "prefix or the original settings (only rounds can be raised, with roundDeadline and minClients)");
        case LOWER -> throw new ProtocolException("rounds " + requested.rounds() + " is below the "
            + generation.config().rounds() + " rounds of the federation in " + layout.prefix() + " ("
            + committedRounds() + " committed); committed rounds are immutable, so rounds can only be raised");
        case RAISE -> {
          if (ended.isPresent() && !ended.get().completed()) {
            throw new ProtocolException("the federation in " + layout.prefix() + " FAILED and is not continued ("
                + ended.get().message() + "); start a new federation under a new prefix");
          }
        }
        case SAME -> { }
      }
      if (ended.isEmpty()) {
        FederationOutcome outcome = runGeneration();
        if (change.kind() == ConfigChange.Kind.SAME || !outcome.completed()) {
          return outcome;
        }
        continue;
      }
      if (change.kind() == ConfigChange.Kind.SAME) {
        log.println("aggregator: federation " + layout.prefix() + " already ended: " + ended.get().phase());
        return ended.get();
      }
      publishContinuation(ended.get());
    }
  }

  /**
   * Folds the committed updates of {@code plan}'s round once more, exactly as a round does (fetched, verified and
   * decoded {@link #PREFETCH_AHEAD} ahead, folded in ascending client order, memory O(adapter)), from whatever store
   * {@code manifests} reads: the protocol benchmark's storage versus local-disk figure.
   *
   * @return the clients folded without rejection
   */
  public static int refold(ManifestStore manifests, FederationLayout layout, FederationConfig config, RoundPlan plan,
      TensorMap global, ServerState state) {
    Aggregation aggregation = config.createServerStrategy(plan.pool().size()).begin(global, state);
    Map<String, UpdateManifest> all = new TreeMap<>();
    plan.clients().forEach(c -> all.put(c, null));
    try (IncrementalFold fold = new IncrementalFold(new UpdateLoader(manifests, layout), plan.round(), plan.clients(),
        aggregation, PREFETCH_AHEAD, new FederationMetrics(), new PrintStream(java.io.OutputStream.nullOutputStream()))) {
      IncrementalFold.Outcome outcome = fold.finish(all);
      aggregation.finish();
      return outcome.accepted().size();
    }
  }

  /** Publishes {@code federation.json} unless present; returns the stored one (generation 0's configuration). */
  private FederationConfig publishConfig() {
    if (manifests.publish(layout.federation(), requested)) {
      return requested;
    }
    return manifests.read(layout.federation(), FederationConfig.class).orElseThrow(() ->
        new ProtocolException(layout.federation() + " disappeared"));
  }

  /** Commits the next generation after a COMPLETED one; a concurrent aggregator's commit wins and is re-read. */
  private void publishContinuation(FederationOutcome completed) {
    int next = generation.number() + 1;
    String reason = "rounds raised from " + generation.config().rounds() + " to " + requested.rounds();
    Continuation continuation = new Continuation(next, completed.roundsCommitted(), requested, reason);
    if (manifests.publish(layout.continuation(next), continuation)) {
      log.println("aggregator: federation " + layout.prefix() + " continued as generation " + next + ": " + reason
          + "; the rounds after " + completed.roundsCommitted() + " follow the schedule over " + requested.rounds()
          + " rounds");
    }
  }

  private int committedRounds() {
    int n = 0;
    while (manifests.exists(layout.roundManifest(n))) {
      n++;
    }
    return n;
  }

  /** Runs (or resumes) the current generation's remaining rounds and commits its outcome. */
  private FederationOutcome runGeneration() {
    FederationConfig config = generation.config();
    history.clear();
    int next = 0;
    while (next < config.rounds() && manifests.exists(layout.roundManifest(next))) {
      history.add(readCommitted(next));
      next++;
    }
    if (next < generation.fromRound()) {
      throw new ProtocolException(layout.prefix() + ": generation " + generation.number() + " starts at round "
          + generation.fromRound() + ", but only " + next + " rounds are committed");
    }
    RoundInputs inputs = null;
    List<String> firstPool = null;
    if (next == 0) {
      prepare(); // the base is published while round 0 waits for members, so trainers load it meanwhile
      try {
        firstPool = existingPlan(0).map(RoundPlan::pool).orElse(null);
        if (firstPool == null) {
          firstPool = awaitMembers(0);
        }
      } catch (QuorumNotReachedException e) {
        return finish(new FederationOutcome(ProgressPhase.FAILED, 0, e.getMessage(), null));
      }
      inputs = genesis(firstPool.size());
      zeroShot = prepared.evaluator().evaluate(inputs.global()).orElse(null);
    } else {
      zeroShot = manifests.read(layout.status(), FederationProgress.class).map(FederationProgress::zeroShot).orElse(null);
      if (next < config.rounds()) {
        prepare();
        RoundManifest last = history.get(history.size() - 1);
        inputs = load(last.global(), last.serverState());
        log.println("aggregator: resuming " + layout.prefix() + " after committed round " + (next - 1)
            + (generation.number() == 0 ? "" : " (generation " + generation.number() + ", " + config.rounds()
                + " rounds)"));
        if (generation.number() > 0) {
          // The view shows the continuation (its generation and raised total) before its first round commits.
          writeStatus(ProgressPhase.RUNNING, "continuing after round " + (next - 1) + " to " + config.rounds()
              + " rounds");
        }
      }
    }
    for (int round = next; round < config.rounds(); round++) {
      try {
        RoundManifest committed = runRound(round, inputs, round == 0 ? firstPool : null);
        history.add(committed);
        // The next round starts from what this process just committed, still in memory (the committed bytes are
        // its deterministic encoding); only a round another aggregator committed is read back from storage.
        inputs = ownCommit != null ? ownCommit : load(committed.global(), committed.serverState());
        ownCommit = null;
        writeStatus(ProgressPhase.RUNNING, "round " + round + " committed");
      } catch (QuorumNotReachedException e) {
        return finish(new FederationOutcome(ProgressPhase.FAILED, history.size(), e.getMessage(), null));
      }
    }
    RoundManifest last = history.get(history.size() - 1);
    return finish(new FederationOutcome(ProgressPhase.COMPLETED, history.size(),
        "completed " + history.size() + " rounds", last.global()));
  }

  /** Settles the base in storage and builds what the rounds need on it, once per process. */
  private void prepare() {
    if (prepared == null) {
      prepared = base.prepare(new SharedBase(manifests, layout), log);
    }
  }

  /** Round 0's adapter and the strategy's initial state for a first pool of {@code poolSize} members. */
  private RoundInputs genesis(int poolSize) {
    prepare();
    TensorMap initialAdapter = prepared.initialAdapter();
    ServerState state = generation.config().createServerStrategy(poolSize).initialState(initialAdapter);
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

  /** @param settledPool the pool round 0's genesis was built for, or null to ask the membership */
  private RoundManifest runRound(int round, RoundInputs inputs, List<String> settledPool)
      throws QuorumNotReachedException {
    long started = System.nanoTime();
    metrics.round(round);
    RoundPlan plan = ensurePlan(round, inputs, settledPool);
    ServerStrategy strategy = generation.config().createServerStrategy(plan.pool().size());
    Aggregation aggregation = strategy.begin(inputs.global(), inputs.state());
    Map<String, UpdateManifest> arrived;
    IncrementalFold.Outcome folded;
    long aggregationStarted;
    try (IncrementalFold fold = new IncrementalFold(loader, round, plan.clients(), aggregation, PREFETCH_AHEAD,
        metrics, log)) {
      arrived = awaitUpdates(plan, fold);
      aggregationStarted = System.nanoTime();
      folded = fold.finish(arrived);
    }
    List<String> accepted = folded.accepted();
    List<RejectedUpdate> rejected = folded.rejected();
    double lossSum = folded.lossSum();
    List<String> missing = plan.clients().stream().filter(c -> !arrived.containsKey(c)).toList();
    metrics.updatesMissing(missing.size());
    FederationConfig config = generation.config();
    if (accepted.size() < config.minClients()) {
      throw new QuorumNotReachedException("round " + round + ": " + accepted.size() + " accepted update(s), quorum "
          + config.minClients() + "; rejected " + rejected.stream().map(r -> r.client() + " " + r.reason()).toList()
          + ", missing " + missing);
    }
    RoundResult result = aggregation.finish();
    double aggregationSeconds = (System.nanoTime() - aggregationStarted) / 1e9;
    metrics.aggregated(aggregationSeconds);
    RoundMetric metric = prepared.evaluator().evaluate(result.global()).orElse(null);
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
        aggregationSeconds, roundSeconds, globalRef, stateRef, plan.pool());
    if (!manifests.publish(layout.roundManifest(round), manifest)) {
      log.println("aggregator: round " + round + " was committed by another aggregator; adopting its result");
      manifest = readCommitted(round);
    } else {
      ownCommit = new RoundInputs(result.global(), result.state(), globalRef, stateRef);
    }
    metrics.roundCompleted(roundSeconds);
    log.printf("aggregator: round %d committed: %d accepted, %d rejected, %d missing, loss %.4f%s%n", round,
        accepted.size(), rejected.size(), missing.size(), meanLoss,
        metric == null ? "" : String.format(", %s %.4f", metric.metricName(), metric.metric()));
    return manifest;
  }

  /** The committed plan of {@code round}, with its pool (a plan written before plans recorded one: the clients). */
  private Optional<RoundPlan> existingPlan(int round) {
    return manifests.read(layout.plan(round), RoundPlan.class)
        .map(p -> p.withPoolDefault(generation.config().clients()));
  }

  private RoundPlan ensurePlan(int round, RoundInputs inputs, List<String> settledPool)
      throws QuorumNotReachedException {
    FederationConfig config = generation.config();
    Optional<RoundPlan> existing = existingPlan(round);
    if (existing.isPresent()) {
      return existing.get();
    }
    List<String> pool = settledPool != null ? settledPool : awaitMembers(round);
    RoundPlan plan = new RoundPlan(round, config.sampler(pool.size()).sample(pool, round),
        System.currentTimeMillis() + config.roundDeadlineMillis(), config.schedule().rate(round), inputs.globalRef(),
        inputs.stateRef(), pool);
    if (!manifests.publish(layout.plan(round), plan)) {
      return existingPlan(round).orElseThrow();
    }
    logPool(plan);
    return plan;
  }

  /** One line per plan: the pool's size and who joined or left since the previous plan this process drew. */
  private void logPool(RoundPlan plan) {
    StringBuilder line = new StringBuilder("aggregator: round " + plan.round() + ": sampled " + plan.clients().size()
        + " of a pool of " + plan.pool().size());
    if (lastPool != null) {
      List<String> joined = plan.pool().stream().filter(c -> !lastPool.contains(c)).toList();
      List<String> left = lastPool.stream().filter(c -> !plan.pool().contains(c)).toList();
      if (!joined.isEmpty()) {
        line.append("; joined ").append(joined);
      }
      if (!left.isEmpty()) {
        line.append("; left ").append(left);
      }
    }
    lastPool = plan.pool();
    log.println(line);
  }

  /**
   * Waits until the members can make a round: round 0 for its start policy (bounded by its timeout, after which it
   * starts with the members present if they can reach the quorum; without one by the idle limit), a later round for
   * the quorum's worth of members (bounded by one round deadline).
   *
   * @return the pool, ascending
   * @throws QuorumNotReachedException when a later round, or round 0 at its start policy's timeout, has too few
   *     members for the quorum
   * @throws ProtocolException when round 0 waited the idle limit without a start policy timeout (the process exits;
   *     a restarted aggregator waits again)
   */
  private List<String> awaitMembers(int round) throws QuorumNotReachedException {
    FederationConfig config = generation.config();
    boolean first = round == 0;
    int wanted = first ? Math.max(config.minClients(), startPolicy.minClients()) : config.minClients();
    long startedAt = System.currentTimeMillis();
    long bound = startedAt + (first
        ? startPolicy.timeout().orElse(timing.trainerMaxIdle()).toMillis() : config.roundDeadlineMillis());
    List<List<String>> seen = new ArrayList<>(List.of(membership.members()));
    BooleanSupplier ready = () -> {
      List<String> now = membership.members();
      if (!now.equals(seen.get(seen.size() - 1))) {
        seen.add(now);
        log.println("aggregator: round " + round + ": " + now.size() + " member(s) now, waiting for " + wanted);
      }
      return now.size() >= wanted && config.quorumPossible(now.size());
    };
    if (ready.getAsBoolean()) {
      return seen.get(seen.size() - 1);
    }
    String waiting = "round " + round + " waits for members: " + seen.get(seen.size() - 1).size() + " present, "
        + wanted + " needed";
    log.println("aggregator: " + waiting);
    if (first && history.isEmpty()) {
      writeStatus(ProgressPhase.RUNNING, waiting);
    }
    if (Waits.until(ready, bound, timing.pollInterval())) {
      return seen.get(seen.size() - 1);
    }
    List<String> pool = seen.get(seen.size() - 1);
    long waited = (System.currentTimeMillis() - startedAt) / 1000;
    if (first && startPolicy.timeout().isPresent() && config.quorumPossible(pool.size())) {
      log.println("aggregator: round 0: the start policy's timeout passed after " + waited + " s; starting with "
          + pool.size() + " of the " + wanted + " members it waits for");
      return pool;
    }
    String reason = "round " + round + ": " + pool.size() + " member(s) after waiting " + waited + " s, a round "
        + "needs " + config.minClients() + " (quorum)" + (first && wanted > config.minClients() ? ", the start "
        + "policy " + wanted : "");
    if (first && startPolicy.timeout().isEmpty()) {
      throw new ProtocolException(reason + "; giving up for now (set spec.startPolicy.timeout to bound the wait)");
    }
    throw new QuorumNotReachedException(reason);
  }

  /**
   * Waits (bounded by the deadline and at most one extension) for the plan's update manifests, handing each arrival
   * to {@code fold} so that it is fetched, verified and folded while the others still train. A poll reads each
   * missing client's {@code update.json} (one GET: the manifest is then at hand for the fold, no second request); a
   * sampled client whose trainer recorded a {@link TrainerFailure} (read at most once per poll interval per client)
   * is dropped from the round at once; when the clients left cannot reach the quorum, the round fails at once,
   * naming the failed clients and their reasons.
   *
   * @return the arrived clients (ascending) with their manifests; null for one whose manifest is not valid JSON of
   *     its type (the fold's loader rejects it, BAD_FORMAT, as before)
   */
  private Map<String, UpdateManifest> awaitUpdates(RoundPlan plan, IncrementalFold fold)
      throws QuorumNotReachedException {
    FederationConfig config = generation.config();
    Map<String, UpdateManifest> arrived = new TreeMap<>();
    Map<String, String> failed = new TreeMap<>();
    Map<String, Long> failureCheckedAt = new HashMap<>();
    long failureCheckEvery = timing.pollInterval().toMillis();
    Waits.Progress poll = () -> {
      List<String> members = membership.members();
      boolean progress = false;
      for (String client : plan.clients()) {
        if (arrived.containsKey(client) || failed.containsKey(client)) {
          continue;
        }
        Optional<UpdateManifest> manifest;
        try {
          manifest = manifests.read(layout.updateManifest(plan.round(), client), UpdateManifest.class);
        } catch (ProtocolException e) {
          manifest = null; // present but not a manifest: arrived, to be rejected by the loader
        }
        if (manifest == null || manifest.isPresent()) {
          arrived.put(client, manifest == null ? null : manifest.get());
          progress = true;
        } else if (!members.contains(client)) {
          failed.put(client, "it left the federation");
          progress = true;
          log.println("aggregator: round " + plan.round() + ": dropped " + client + ", it left the federation");
        } else {
          long now = System.currentTimeMillis();
          Long last = failureCheckedAt.get(client);
          if (last == null || now - last >= failureCheckEvery) {
            failureCheckedAt.put(client, now);
            Optional<TrainerFailure> f = manifests.read(layout.trainerFailure(client), TrainerFailure.class)
                .filter(TrainerFailure::active);
            if (f.isPresent()) {
              failed.put(client, f.get().reason());
              progress = true;
              log.println("aggregator: round " + plan.round() + ": dropped " + client + ", its trainer failed: "
                  + f.get().reason());
            }
          }
        }
      }
      fold.advance(arrived, failed.keySet());
      if (arrived.size() + failed.size() == plan.clients().size()
          || plan.clients().size() - failed.size() < config.minClients()) {
        return Waits.Poll.DONE;
      }
      return progress ? Waits.Poll.PROGRESS : Waits.Poll.WAIT;
    };
    // An extension already committed (before a restart, or by a resumed fedmllm local run) is the round's deadline.
    long deadline = manifests.read(layout.deadlineExtension(plan.round()), DeadlineExtension.class)
        .map(DeadlineExtension::deadlineEpochMillis).orElse(plan.deadlineEpochMillis());
    Waits.until(poll, deadline, timing.pollInterval());
    if (arrived.size() >= config.minClients()) {
      return arrived;
    }
    requireReachable(plan, failed);
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
    Waits.until(poll, extension.deadlineEpochMillis(), timing.pollInterval());
    if (arrived.size() < config.minClients()) {
      requireReachable(plan, failed);
      List<String> missing = plan.clients().stream().filter(c -> !arrived.containsKey(c)).toList();
      throw new QuorumNotReachedException("round " + plan.round() + ": only " + arrived.size() + " of "
          + plan.clients().size() + " updates by the extended deadline, quorum " + config.minClients()
          + "; missing " + missing + failures(failed));
    }
    return arrived;
  }

  /** Fails the round when the clients whose trainers have not failed are fewer than the quorum. */
  private void requireReachable(RoundPlan plan, Map<String, String> failed) throws QuorumNotReachedException {
    int left = plan.clients().size() - failed.size();
    if (left < generation.config().minClients()) {
      throw new QuorumNotReachedException("round " + plan.round() + ": " + left + " of " + plan.clients().size()
          + " sampled clients can still send an update, quorum " + generation.config().minClients()
          + failures(failed));
    }
  }

  private static String failures(Map<String, String> failed) {
    StringBuilder text = new StringBuilder();
    failed.forEach((client, reason) -> text.append("; ").append(client).append(" failed: ").append(reason));
    return text.toString();
  }

  private FederationOutcome finish(FederationOutcome outcome) {
    String key = generation.outcomeKey(layout);
    if (!manifests.publish(key, outcome)) {
      outcome = manifests.read(key, FederationOutcome.class).orElse(outcome);
    }
    writeStatus(outcome.phase(), outcome.message());
    log.println("aggregator: federation " + layout.prefix() + " " + outcome.phase() + ": " + outcome.message());
    return outcome;
  }

  private void writeStatus(ProgressPhase phase, String message) {
    manifests.overwrite(layout.status(), new FederationProgress(phase, history.size(), generation.config().rounds(),
        message, zeroShot, history, System.currentTimeMillis(), generation.number()));
  }
}
