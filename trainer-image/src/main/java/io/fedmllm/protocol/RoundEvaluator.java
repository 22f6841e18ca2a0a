package io.fedmllm.protocol;

import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.tensor.TensorMap;
import java.util.Optional;

/** Scores a global adapter on the federation's evaluation split; empty when the federation does not evaluate. */
@FunctionalInterface
public interface RoundEvaluator {

  Optional<RoundMetric> evaluate(TensorMap globalAdapter);

  /** No evaluation (benchmarks, protocol tests without a model). */
  static RoundEvaluator none() {
    return adapter -> Optional.empty();
  }
}
