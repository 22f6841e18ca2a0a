package io.fedmllm.protocol;

import io.fedmllm.strategy.ServerState;
import io.fedmllm.tensor.TensorMap;

/** One client's training for one round, as the {@link Trainer} drives it. */
@FunctionalInterface
public interface LocalTraining {

  /**
   * @param plan the round's plan (round number, learning rate)
   * @param global the global adapter the round starts from
   * @param serverState the server strategy's state at the start of the round (SCAFFOLD's control variate lives here)
   */
  TrainedUpdate train(RoundPlan plan, TensorMap global, ServerState serverState);
}
