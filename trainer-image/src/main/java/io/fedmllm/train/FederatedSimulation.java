package io.fedmllm.train;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ImagePreprocessor;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.strategy.Aggregation;
import io.fedmllm.strategy.ClientSampler;
import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.RoundResult;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategy;
import io.fedmllm.strategy.client.ClientObjectiveTerm;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.strategy.client.ScaffoldCorrection;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

  private final BaseModel base;
  private final LoraConfig lora;
  private final ServerStrategy server;
  private final Settings settings;

  public FederatedSimulation(BaseModel base, LoraConfig lora, ServerStrategy server, Settings settings) {
    this.base = base;
    this.lora = lora;
    this.server = server;
    this.settings = settings;
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
    Map<String, List<Sample>> data = new HashMap<>();
    Map<String, ImagePreprocessor> images = new HashMap<>();
    for (int i = 0; i < clientData.size(); i++) {
      ids.add(clientId(i));
      data.put(clientId(i), strategy.prepare(clientData.get(i)));
      images.put(clientId(i), base.newImagePreprocessor());
    }
    List<Sample> evalSet = strategy.prepare(test);
    ImagePreprocessor evalImages = base.newImagePreprocessor();
    MultipleChoiceEvaluator evaluator = new MultipleChoiceEvaluator(base, lora);
    LocalTrainer trainer = new LocalTrainer(base, lora, settings.training());
    ClientSampler sampler = new ClientSampler(settings.clientsPerRound(), settings.seed());
    boolean scaffold = server instanceof Scaffold;
    Map<String, TensorMap> clientControls = new HashMap<>();

    TensorMap global = LoraWeights.initialTensors(base.config(), lora, settings.seed());
    ServerState state = server.initialState(global);
    Evaluation baseline = zeroShot != null ? zeroShot : evaluator.evaluate(task, global, evalSet, evalImages);
    List<RoundRecord> history = new ArrayList<>();
    for (int round = 0; round < settings.rounds(); round++) {
      double lr = settings.schedule().rate(round);
      List<String> chosen = sampler.sample(ids, round);
      Aggregation aggregation = server.begin(global, state);
      double lossSum = 0;
      for (String id : chosen) {
        List<ClientObjectiveTerm> terms = new ArrayList<>(strategy.terms(base.config().layers(), global));
        TensorMap serverControl = scaffold ? Scaffold.controlVariate(state) : null;
        TensorMap clientControl = scaffold ? clientControls.computeIfAbsent(id, k -> serverControl.filledLike(0f)) : null;
        if (scaffold) {
          terms.add(new ScaffoldCorrection(serverControl, clientControl));
        }
        long seed = settings.seed() * 7919L + round * 131L + ids.indexOf(id);
        LocalUpdate update = trainer.train(global, data.get(id), images.get(id), lr, seed, terms);
        lossSum += update.meanLoss();
        if (scaffold) {
          TensorMap next =
              Scaffold.clientControlVariate(clientControl, serverControl, global, update.adapter(), update.steps(), lr);
          aggregation.add(
              ClientUpdate.withControlDelta(
                  id, update.adapter(), update.numSamples(), Scaffold.controlDelta(next, clientControl)));
          clientControls.put(id, next);
        } else {
          aggregation.add(ClientUpdate.of(id, update.adapter(), update.numSamples()));
        }
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
