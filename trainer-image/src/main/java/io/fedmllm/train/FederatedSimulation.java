package io.fedmllm.train;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.SampleImages;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A whole federation in one process, without storage: the engine-level reference that the distributed round protocol
 * must agree with, and the workhorse of the benchmark. Clients train one after another on the shared frozen base;
 * updates are aggregated in client-id order by the server strategy; the global adapter is evaluated after each round.
 */
public final class FederatedSimulation {

  /**
   * Settings of one simulated federation.
   *
   * @param evaluateEvery evaluate the global adapter after every n-th round (the last round always)
   */
  public record Settings(
      int rounds,
      int clientsPerRound,
      CosineSchedule schedule,
      TrainingConfig training,
      ClientStrategy clientStrategy,
      long seed,
      int evaluateEvery) {

    public Settings {
      if (rounds <= 0 || clientsPerRound <= 0 || evaluateEvery <= 0) {
        throw new IllegalArgumentException("rounds, clientsPerRound and evaluateEvery must be positive");
      }
    }

    /** Evaluates after every round. */
    public Settings(
        int rounds,
        int clientsPerRound,
        CosineSchedule schedule,
        TrainingConfig training,
        ClientStrategy clientStrategy,
        long seed) {
      this(rounds, clientsPerRound, schedule, training, clientStrategy, seed, 1);
    }
  }

  /**
   * The mean client training loss of one round and, when the round was evaluated, the metric of the global adapter
   * after it (null otherwise).
   */
  public record RoundRecord(int round, List<String> clients, double meanLoss, Evaluation evaluation) {}

  /** Zero-shot score, the per-round history and the final global adapter. */
  public record Outcome(Evaluation zeroShot, List<RoundRecord> rounds, TensorMap finalAdapter) {
    /** The evaluation after the last round. */
    public Evaluation last() {
      return rounds.get(rounds.size() - 1).evaluation();
    }
  }

  private final FoundationModel base;
  private final LoraConfig lora;
  private final ServerStrategyConfig server;
  private final Settings settings;
  private final UnaryOperator<TensorMap> transfer;

  /** @param server the server strategy; SCAFFOLD's client count is the number of clients {@link #run} is given */
  public FederatedSimulation(FoundationModel base, LoraConfig lora, ServerStrategyConfig server, Settings settings) {
    this(base, lora, server, settings, UnaryOperator.identity());
  }

  /**
   * @param transfer what the aggregator receives of each client's adapter (and control delta), e.g. the adapter
   *     rounded to float16 as the protocol sends it with {@code adapter.transferDtype: float16}
   */
  public FederatedSimulation(FoundationModel base, LoraConfig lora, ServerStrategyConfig server, Settings settings,
      UnaryOperator<TensorMap> transfer) {
    this.base = base;
    this.lora = lora;
    this.server = server;
    this.settings = settings;
    this.transfer = transfer;
  }

  public static String clientId(int index) {
    return String.format("client-%03d", index);
  }

  public Outcome run(Task task, List<List<Sample>> clientData, List<Sample> test, Consumer<RoundRecord> onRound) {
    return run(task, clientData, test, null, onRound);
  }

  /**
   * @param zeroShot the base's score on {@code test} when the caller already has it (it does not depend on the
   *     strategy), or null to compute it
   */
  public Outcome run(
      Task task, List<List<Sample>> clientData, List<Sample> test, Evaluation zeroShot, Consumer<RoundRecord> onRound) {
    ClientStrategy strategy = settings.clientStrategy();
    List<String> ids = new ArrayList<>();
    Map<String, FederatedClient> clients = new HashMap<>();
    for (int i = 0; i < clientData.size(); i++) {
      ids.add(clientId(i));
      clients.put(clientId(i), new FederatedClient(base, lora, settings.training(), strategy, clientData.get(i),
          settings.seed(), i));
    }
    List<Sample> evalSet = strategy.prepare(test);
    SampleImages evalImages = base.newImageCache();
    MultipleChoiceEvaluator evaluator = new MultipleChoiceEvaluator(base, lora);
    ClientSampler sampler = new ClientSampler(settings.clientsPerRound(), settings.seed());

    TensorMap global = base.initialAdapter(lora, settings.seed());
    ServerStrategy serverStrategy = server.create(clientData.size());
    ServerState state = serverStrategy.initialState(global);
    Evaluation baseline = zeroShot != null ? zeroShot : evaluator.evaluate(task, global, evalSet, evalImages);
    List<RoundRecord> history = new ArrayList<>();
    for (int round = 0; round < settings.rounds(); round++) {
      double lr = settings.schedule().rate(round);
      List<String> chosen = sampler.sample(ids, round);
      Aggregation aggregation = serverStrategy.begin(global, state);
      double lossSum = 0;
      for (String id : chosen) {
        FederatedClient.RoundUpdate trained = clients.get(id).train(round, global, state, lr);
        LocalUpdate update = trained.update();
        lossSum += update.meanLoss();
        TensorMap sent = transfer.apply(update.adapter());
        aggregation.add(trained.hasControlDelta()
            ? ClientUpdate.withControlDelta(id, sent, update.numSamples(), transfer.apply(trained.controlDelta()))
            : ClientUpdate.of(id, sent, update.numSamples()));
      }
      RoundResult result = aggregation.finish();
      global = result.global();
      state = result.state();
      boolean evaluate = (round + 1) % settings.evaluateEvery() == 0 || round == settings.rounds() - 1;
      RoundRecord record =
          new RoundRecord(round, chosen, lossSum / chosen.size(),
              evaluate ? evaluator.evaluate(task, global, evalSet, evalImages) : null);
      history.add(record);
      onRound.accept(record);
    }
    return new Outcome(baseline, history, global);
  }
}
