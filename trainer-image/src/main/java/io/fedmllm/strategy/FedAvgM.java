package io.fedmllm.strategy;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import java.util.Map;

/**
 * FedAvg with server momentum, as the paper defines it:
 * {@code Delta = sum_k (n_k / n)(w_k - w)}; {@code m = Delta} in the first round, otherwise
 * {@code m = beta1 m + (1 - beta1) Delta}; {@code w = w + m}. Parameter {@code beta1} (default 0.9). State slot
 * {@code m}.
 */
public final class FedAvgM extends AbstractServerStrategy {

  public static final String NAME = "fedavgm";
  static final String MOMENTUM = "m";

  private final double beta1;
  private final String parameters;

  public FedAvgM(Map<String, ? extends Number> params) {
    StrategyParameters p = new StrategyParameters(NAME, params);
    this.beta1 = p.decay("beta1", 0.9);
    this.parameters = p.finish();
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
    return List.of(MOMENTUM);
  }

  @Override
  Map<String, TensorMap> initialSlots(TensorMap global) {
    return Map.of(MOMENTUM, global.filledLike(0f));
  }

  @Override
  Aggregation newAggregation(TensorMap global, ServerState state) {
    return new AbstractAggregation(global, state, false) {
      private final RunningSum weightedDelta = new RunningSum(global);
      private long samples;

      @Override
      void accumulate(ClientUpdate update) {
        weightedDelta.addDifference(update.weights(), global, update.numSamples());
        samples += update.numSamples();
      }

      @Override
      RoundResult result(int count) {
        boolean firstRound = state.round() == 0;
        TensorMap oldMomentum = state.slot(MOMENTUM);
        TensorMap.Builder next = TensorMap.builder();
        TensorMap.Builder momentum = TensorMap.builder();
        List<String> names = weightedDelta.names();
        for (int t = 0; t < names.size(); t++) {
          String name = names.get(t);
          double[] sum = weightedDelta.sum(t);
          float[] w = global.get(name).data();
          float[] mOld = oldMomentum.get(name).data();
          float[] wNew = new float[w.length];
          float[] mNew = new float[w.length];
          for (int i = 0; i < w.length; i++) {
            double delta = sum[i] / samples;
            double m = firstRound ? delta : beta1 * mOld[i] + (1 - beta1) * delta;
            mNew[i] = (float) m;
            wNew[i] = (float) (w[i] + m);
          }
          long[] shape = global.get(name).shape();
          next.put(name, new Tensor(shape, wNew));
          momentum.put(name, new Tensor(shape, mNew));
        }
        return new RoundResult(next.build(), state.next(Map.of(MOMENTUM, momentum.build())));
      }
    };
  }
}
