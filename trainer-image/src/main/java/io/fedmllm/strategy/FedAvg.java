package io.fedmllm.strategy;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import java.util.Map;

/**
 * FedAvg: the sample-weighted average of the client adapters, {@code w = sum_k (n_k / n) w_k}. No parameters, no
 * state beyond the round counter.
 */
public final class FedAvg extends AbstractServerStrategy {

  public static final String NAME = "fedavg";

  private final String parameters;

  /** Accepts no parameters. */
  public FedAvg(Map<String, ? extends Number> params) {
    this.parameters = new StrategyParameters(NAME, params).finish();
  }

  public FedAvg() {
    this(Map.of());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String parameters() {
    return parameters;
  }

  @Override
  List<String> slotNames() {
    return List.of();
  }

  @Override
  Map<String, TensorMap> initialSlots(TensorMap global) {
    return Map.of();
  }

  @Override
  Aggregation newAggregation(TensorMap global, ServerState state) {
    return new AbstractAggregation(global, state, false) {
      private final RunningSum weighted = new RunningSum(global);
      private long samples;

      @Override
      void accumulate(ClientUpdate update) {
        weighted.add(update.weights(), update.numSamples());
        samples += update.numSamples();
      }

      @Override
      RoundResult result(int count) {
        TensorMap.Builder next = TensorMap.builder();
        List<String> names = weighted.names();
        for (int t = 0; t < names.size(); t++) {
          double[] sum = weighted.sum(t);
          float[] w = new float[sum.length];
          for (int i = 0; i < w.length; i++) {
            w[i] = (float) (sum[i] / samples);
          }
          next.put(names.get(t), new Tensor(global.get(names.get(t)).shape(), w));
        }
        return new RoundResult(next.build(), state.next(Map.of()));
      }
    };
  }
}
