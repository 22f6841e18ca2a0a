package io.fedmllm.train;

import io.fedmllm.data.Sample;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.SampleImages;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.strategy.Scaffold;
import io.fedmllm.strategy.ServerState;
import io.fedmllm.strategy.client.ClientObjectiveTerm;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.strategy.client.ScaffoldCorrection;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's side of a federation, round after round: local training from the round's global adapter with the
 * federation's client strategy (prompt rewrite, proximal term) and, when the server runs SCAFFOLD, its drift
 * correction and the client's control variate (kept in this object between rounds). The in-process
 * {@link FederatedSimulation} and the protocol's trainer both train through this class, so the same federation gives
 * the same bytes either way.
 *
 * <p>Not thread-safe; one instance per client.
 */
public final class FederatedClient {

  /** What one round of local training produced. */
  public record RoundUpdate(LocalUpdate update, TensorMap controlDelta) {

    /** Whether the update carries SCAFFOLD's control-variate change. */
    public boolean hasControlDelta() {
      return !controlDelta.isEmpty();
    }
  }

  private final FoundationModel base;
  private final ClientStrategy strategy;
  private final List<Sample> samples;
  private final SampleImages images;
  private final LocalTrainer trainer;
  private final long federationSeed;
  private final int clientIndex;
  private TensorMap clientControl;

  /**
   * @param samples the client's training samples as stored (the client strategy's prompt rewrite is applied here)
   * @param federationSeed the federation's seed
   * @param clientIndex the client's position among the federation's clients, sorted by id (the index
   *     {@link #train(int, TensorMap, ServerState, double)} uses)
   */
  public FederatedClient(FoundationModel base, LoraConfig lora, TrainingConfig training, ClientStrategy strategy,
      List<Sample> samples, long federationSeed, int clientIndex) {
    this.base = base;
    this.strategy = strategy;
    this.samples = strategy.prepare(samples);
    this.images = base.newImageCache();
    this.trainer = new LocalTrainer(base, lora, training);
    this.federationSeed = federationSeed;
    this.clientIndex = clientIndex;
  }

  /** The seed of client {@code clientIndex}'s local training in {@code round} of a federation seeded {@code seed}. */
  public static long roundSeed(long federationSeed, int round, int clientIndex) {
    return federationSeed * 7919L + round * 131L + clientIndex;
  }

  /**
   * Trains one round.
   *
   * @param global the round's global adapter
   * @param serverState the server strategy's state at the start of the round (SCAFFOLD's control variate)
   * @param learningRate the round's client learning rate
   */
  public RoundUpdate train(int round, TensorMap global, ServerState serverState, double learningRate) {
    return train(round, clientIndex, global, serverState, learningRate);
  }

  /**
   * Trains one round as the client at {@code clientIndex} of the round's pool (a federation whose membership changes
   * between rounds: the index comes from the round's plan).
   */
  public RoundUpdate train(int round, int clientIndex, TensorMap global, ServerState serverState,
      double learningRate) {
    List<ClientObjectiveTerm> terms = new ArrayList<>(strategy.terms(base.decoderLayers(), global));
    boolean scaffold = Scaffold.NAME.equals(serverState.strategy());
    TensorMap serverControl = scaffold ? Scaffold.controlVariate(serverState) : null;
    if (scaffold) {
      if (clientControl == null) {
        clientControl = serverControl.filledLike(0f);
      }
      terms.add(new ScaffoldCorrection(serverControl, clientControl));
    }
    LocalUpdate update =
        trainer.train(global, samples, images, learningRate, roundSeed(federationSeed, round, clientIndex), terms);
    if (!scaffold) {
      return new RoundUpdate(update, TensorMap.empty());
    }
    TensorMap next = Scaffold.clientControlVariate(clientControl, serverControl, global, update.adapter(),
        update.steps(), learningRate);
    TensorMap delta = Scaffold.controlDelta(next, clientControl);
    clientControl = next;
    return new RoundUpdate(update, delta);
  }

  /**
   * For a restarted trainer: takes in a round this client had already committed (instead of training it again), in
   * round order, so state kept across rounds (SCAFFOLD's control variate) continues exactly as the first process
   * computed it.
   *
   * @param weights the committed update's adapter; {@code steps} its optimiser steps
   */
  public void adoptCommitted(TensorMap global, ServerState serverState, TensorMap weights, int steps,
      double learningRate) {
    if (Scaffold.NAME.equals(serverState.strategy())) {
      TensorMap serverControl = Scaffold.controlVariate(serverState);
      TensorMap current = clientControl == null ? serverControl.filledLike(0f) : clientControl;
      clientControl = Scaffold.clientControlVariate(current, serverControl, global, weights, steps, learningRate);
    }
  }
}
