package io.fedmllm.protocol;

import io.fedmllm.model.ModelConfig;
import io.fedmllm.tensor.TensorMap;
import java.io.PrintStream;

/**
 * How the aggregator makes the federation's one base available and builds what its rounds need on it. The engine's
 * implementation is {@code io.fedmllm.engine.EngineAggregatorBase}; {@link #placeholder} serves protocol tests and the protocol
 * benchmark, which involve no model.
 */
public interface AggregatorBase {

  /** Round 0's global adapter and the evaluator of global adapters, both on the published base. */
  record Prepared(TensorMap initialAdapter, RoundEvaluator evaluator) {}

  /**
   * Called once per aggregator run, after {@code federation.json} is settled and before any plan is drawn, when
   * rounds remain to be run. Publishes this process's base when storage has none ({@link SharedBase#publish}),
   * otherwise adopts the published one: a restarted aggregator never obtains (or pre-trains) a base again.
   */
  Prepared prepare(SharedBase shared, PrintStream log);

  /**
   * No model: publishes {@code initialAdapter}'s bytes as a stand-in base (so trainers find a {@code base.json} to
   * wait for, fetch and verify), and evaluates nothing.
   */
  static AggregatorBase placeholder(TensorMap initialAdapter) {
    return (shared, log) -> {
      if (shared.published().isEmpty()) {
        shared.publish(UpdateCodec.encode(initialAdapter), ModelConfig.preset("tiny"), "0".repeat(64),
            initialAdapter.elementCount(), "placeholder (no model)");
      }
      return new Prepared(initialAdapter, RoundEvaluator.none());
    };
  }
}
