package io.fedmllm.protocol;

import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.ImagePreprocessor;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.client.ClientObjectiveTerm;
import io.fedmllm.strategy.client.ScaffoldCorrection;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.LocalTrainer;
import io.fedmllm.train.LocalUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's real local training on the shared frozen base: the federation's client strategy (prompt rewrite,
 * proximal terms), SCAFFOLD's correction when the server runs SCAFFOLD, and the per-round seed the in-process
 * {@link io.fedmllm.train.FederatedSimulation} uses, so both produce the same bytes. SCAFFOLD's client control
 * variate lives in this object; a restarted trainer rebuilds it from its committed updates ({@link #adoptCommitted}),
 * computing exactly what the first process computed.
 *
 * <p>Trainings in one JVM run one at a time, whether or not they share a base: DJL's PyTorch engine allows one
 * gradient collector per JVM (and they would only compete for the same cores). Training also holds its base's
 * monitor, which evaluation on the same base takes.
 */
public final class EngineLocalTraining implements LocalTraining {

  private static final Object ONE_TRAINING_PER_JVM = new Object();

  private final BaseModel base;
  private final FederationConfig config;
  private final String client;
  private final List<Sample> samples;
  private final ImagePreprocessor images;
  private final LocalTrainer trainer;
  private TensorMap clientControl;

  /** @param samples the client's training samples as stored (the client strategy's prompt rewrite is applied here) */
  public EngineLocalTraining(BaseModel base, FederationConfig config, String client, List<Sample> samples) {
    this.base = base;
    this.config = config;
    this.client = client;
    this.samples = config.clientStrategy().prepare(samples);
    this.images = base.newImagePreprocessor();
    this.trainer = new LocalTrainer(base, config.lora(), config.training());
    config.clientIndex(client);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("client '" + client + "' has no training samples");
    }
  }

  @Override
  public boolean keepsStateAcrossRounds() {
    return Scaffold.NAME.equals(config.serverStrategy());
  }

  @Override
  public void adoptCommitted(RoundPlan plan, TensorMap global, ServerState serverState, TensorMap weights,
      int steps) {
    if (Scaffold.NAME.equals(serverState.strategy())) {
      TensorMap serverControl = Scaffold.controlVariate(serverState);
      TensorMap current = clientControl == null ? serverControl.filledLike(0f) : clientControl;
      clientControl = Scaffold.clientControlVariate(current, serverControl, global, weights, steps,
          plan.learningRate());
    }
  }

  @Override
  public TrainedUpdate train(RoundPlan plan, TensorMap global, ServerState serverState) {
    List<ClientObjectiveTerm> terms = new ArrayList<>(config.clientStrategy().terms(base.config().layers(), global));
    boolean scaffold = Scaffold.NAME.equals(serverState.strategy());
    TensorMap serverControl = scaffold ? Scaffold.controlVariate(serverState) : null;
    if (scaffold) {
      if (clientControl == null) {
        clientControl = serverControl.filledLike(0f);
      }
      terms.add(new ScaffoldCorrection(serverControl, clientControl));
    }
    LocalUpdate update;
    synchronized (ONE_TRAINING_PER_JVM) {
      synchronized (base) {
        update = trainer.train(global, samples, images, plan.learningRate(),
            config.trainingSeed(plan.round(), client), terms);
      }
    }
    TensorMap delta = TensorMap.empty();
    if (scaffold) {
      TensorMap next = Scaffold.clientControlVariate(clientControl, serverControl, global, update.adapter(),
          update.steps(), plan.learningRate());
      delta = Scaffold.controlDelta(next, clientControl);
      clientControl = next;
    }
    return new TrainedUpdate(update.adapter(), delta, update.numSamples(), update.steps(), update.meanLoss(),
        update.samplesPerSecond());
  }
}
