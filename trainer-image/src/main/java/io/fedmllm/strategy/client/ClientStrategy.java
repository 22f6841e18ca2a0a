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

  public ClientStrategy {
    if (proximalMu < 0 || proximalLayerWeight < 0 || proximalSkipLayers < 0) {
      throw new IllegalArgumentException("client strategy: mu, mu_w and s must not be negative");
    }
  }

  /** No client plug-in: plain local training. */
  public static ClientStrategy none() {
    return new ClientStrategy(0, 1, 0, false);
  }

  public static ClientStrategy fedProx(double mu) {
    return new ClientStrategy(mu, 1, 0, false);
  }

  /** The paper's two strategies with its defaults mu 0.01, mu_w 0.1; {@code s} scaled to the model's depth. */
  public static ClientStrategy paperStrategies(int skipLayers) {
    return new ClientStrategy(0.01, 0.1, skipLayers, true);
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
