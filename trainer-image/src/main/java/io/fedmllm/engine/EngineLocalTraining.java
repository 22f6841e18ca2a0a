package io.fedmllm.engine;

import io.fedmllm.data.Sample;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.LocalTraining;
import io.fedmllm.protocol.RoundPlan;
import io.fedmllm.protocol.TrainedUpdate;
import io.fedmllm.protocol.TrainerFailedException;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.DeviceMemory;
import io.fedmllm.train.FederatedClient;
import io.fedmllm.train.LocalUpdate;
import io.fedmllm.train.OutOfMemory;
import io.fedmllm.train.TrainingConfig;
import java.util.List;
import java.util.Optional;

/**
 * A client's real local training on the shared frozen base, as a protocol trainer runs it: the round loop of
 * {@link FederatedClient} (client strategy, SCAFFOLD's correction, the per-round seed) that the in-process
 * {@link io.fedmllm.train.FederatedSimulation} also runs, so both produce the same bytes. SCAFFOLD's client control
 * variate lives in that object; a restarted trainer rebuilds it from its committed updates ({@link #adoptCommitted}),
 * computing exactly what the first process computed.
 *
 * <p>Trainings in one JVM run one at a time, whether or not they share a base: DJL's PyTorch engine allows one
 * gradient collector per JVM (and they would only compete for the same cores). Training also holds its base's
 * monitor, which evaluation on the same base takes.
 */
public final class EngineLocalTraining implements LocalTraining {

  private static final Object ONE_TRAINING_PER_JVM = new Object();

  private final FoundationModel base;
  private final String clientId;
  private final FederatedClient client;
  private final boolean keepsState;
  private final TrainingConfig training;

  /** @param samples the client's training samples as stored (the client strategy's prompt rewrite is applied later) */
  public EngineLocalTraining(FoundationModel base, FederationConfig config, String client, List<Sample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("client '" + client + "' has no training samples");
    }
    this.base = base;
    this.clientId = client;
    // the index in the seed is the client's position in each round's pool (train below)
    this.client = new FederatedClient(base, config.lora(), config.training(), config.clientStrategy(), samples,
        config.seed(), 0);
    this.keepsState = config.serverStrategy() instanceof ServerStrategyConfig.ScaffoldConfig;
    this.training = config.training();
  }

  @Override
  public boolean keepsStateAcrossRounds() {
    return keepsState;
  }

  @Override
  public void adoptCommitted(RoundPlan plan, TensorMap global, ServerState serverState, TensorMap weights,
      int steps) {
    client.adoptCommitted(global, serverState, weights, steps, plan.learningRate());
  }

  @Override
  public TrainedUpdate train(RoundPlan plan, TensorMap global, ServerState serverState) {
    FederatedClient.RoundUpdate trained;
    synchronized (ONE_TRAINING_PER_JVM) {
      synchronized (base) {
        try {
          trained = client.train(plan.round(), plan.clientIndex(clientId), global, serverState, plan.learningRate());
        } catch (RuntimeException e) {
          Optional<String> outOfMemory = OutOfMemory.explain(e, training.batchSize(), training.gradientAccumulation());
          if (outOfMemory.isPresent()) {
            throw new TrainerFailedException(outOfMemory.get());
          }
          throw e;
        }
      }
    }
    LocalUpdate update = trained.update();
    return new TrainedUpdate(update.adapter(), trained.controlDelta(), update.numSamples(), update.steps(),
        update.meanLoss(), update.samplesPerSecond(), update.peakMemoryBytes(),
        DeviceMemory.kind(base.manager().getDevice()));
  }
}
