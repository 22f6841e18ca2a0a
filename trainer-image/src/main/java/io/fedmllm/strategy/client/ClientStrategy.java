package io.fedmllm.strategy.client;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The client-side plug-ins of a federation, combinable with any server optimiser: a proximal term (FedProx when it
 * covers every layer, the paper's regularisation strategy when restricted to the middle layers) and the paper's
 * modality-agnostic prompt strategy.
 *
 * @param proximalMu the proximal coefficient {@code mu}; 0 disables the term
 * @param proximalLayerWeight the paper's {@code mu_w} (1 for plain FedProx)
 * @param proximalSkipLayers the paper's {@code s}: layers {@code s .. L-1-s} are regularised (0 for plain FedProx)
 * @param modalityAgnosticPrompt whether instructions are rewritten to the modality-agnostic wording
 */
public record ClientStrategy(
    double proximalMu, double proximalLayerWeight, int proximalSkipLayers, boolean modalityAgnosticPrompt) {

  /** The proximal coefficient of FedProx and of the paper's regulariser when a spec does not set it. */
  public static final double DEFAULT_MU = 0.01;

  /** The paper's {@code mu_w}. */
  public static final double PAPER_LAYER_WEIGHT = 0.1;

  /** The paper's ratio of depth to skipped layers: {@code s = 4} of 28 layers. */
  public static final int DEPTH_PER_SKIPPED_LAYER = 7;

  /**
   * @throws IllegalArgumentException naming the parameter ({@code mu}, {@code muW}, {@code s}) that is negative or
   *     not finite
   */
  public ClientStrategy {
    if (!(proximalMu >= 0) || !Double.isFinite(proximalMu)) {
      throw new IllegalArgumentException("mu = " + proximalMu + ": must be finite and >= 0");
    }
    if (!(proximalLayerWeight >= 0) || !Double.isFinite(proximalLayerWeight)) {
      throw new IllegalArgumentException("muW = " + proximalLayerWeight + ": must be finite and >= 0");
    }
    if (proximalSkipLayers < 0) {
      throw new IllegalArgumentException("s = " + proximalSkipLayers + ": must be >= 0");
    }
  }

  /** No client plug-in: plain local training. */
  public static ClientStrategy none() {
    return new ClientStrategy(0, 1, 0, false);
  }

  /** FedProx: the proximal term on every layer. */
  public static ClientStrategy fedProx(double mu) {
    return new ClientStrategy(mu, 1, 0, false);
  }

  /** The paper's two strategies with its defaults mu 0.01, mu_w 0.1 and the given {@code s}. */
  public static ClientStrategy paperStrategies(int skipLayers) {
    return new ClientStrategy(DEFAULT_MU, PAPER_LAYER_WEIGHT, skipLayers, true);
  }

  /** The paper's two strategies with its defaults for a model of {@code layers} decoder layers. */
  public static ClientStrategy paperStrategiesFor(int layers) {
    return paperStrategies(defaultSkipLayers(layers));
  }

  /** The regulariser's default {@code s} for a model of {@code layers} decoder layers: one seventh of its depth. */
  public static int defaultSkipLayers(int layers) {
    return layers / DEPTH_PER_SKIPPED_LAYER;
  }

  /**
   * Checks that the proximal term (when on) leaves at least one middle layer of a model of {@code layers} decoder
   * layers; returns this strategy.
   *
   * @throws IllegalArgumentException starting with {@code s = ...} otherwise
   */
  public ClientStrategy requireFits(int layers) {
    if (proximalMu > 0 && 2 * proximalSkipLayers >= layers) {
      throw new IllegalArgumentException("s = " + proximalSkipLayers + " leaves no middle layer in a model of "
          + layers + " layers (use s < " + (layers + 1) / 2 + ")");
    }
    return this;
  }

  /** The objective terms for one round, anchored at that round's global adapter. */
  public List<ClientObjectiveTerm> terms(int layers, TensorMap global) {
    List<ClientObjectiveTerm> terms = new ArrayList<>();
    if (proximalMu > 0) {
      terms.add(new ProximalRegularizer(proximalMu, proximalLayerWeight, proximalSkipLayers, layers, global));
    }
    return terms;
  }

  /** Applies the prompt strategy (identity when it is off) to a client's or the evaluation set's samples. */
  public List<Sample> prepare(List<Sample> samples) {
    return modalityAgnosticPrompt ? samples.stream().map(Prompts::rewriteModalityAgnostic).toList() : samples;
  }
}
