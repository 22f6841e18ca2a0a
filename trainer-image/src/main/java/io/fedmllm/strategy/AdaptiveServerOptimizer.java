package io.fedmllm.strategy;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import java.util.Map;

/**
 * The adaptive server optimisers of "Adaptive Federated Optimization" in the paper's form. Per element, with
 * {@code Delta = mean_k (w_k - w)} (unweighted):
 * {@code m = firstMoment(m, Delta)}, {@code v = secondMoment(v, m)}, {@code w = w + eta m / (sqrt(v) + tau)}.
 * {@code v} starts at {@code tau^2}. Intermediate values are computed in double; the new weights and the stored
 * {@code m} and {@code v} are rounded to float32 once.
 */
abstract class AdaptiveServerOptimizer extends AbstractServerStrategy {

  static final String MOMENTUM = "m";
  static final String SECOND_MOMENT = "v";

  final double eta;
  final double tau;

  AdaptiveServerOptimizer(double eta, double tau) {
    this.eta = eta;
    this.tau = tau;
  }

  /** Whether {@code m} is server state (FedAdagrad uses {@code Delta} directly). */
  abstract boolean hasMomentum();

  /** The new first moment; {@code firstRound} is true when no round has been aggregated yet. */
  abstract double firstMoment(double m, double delta, boolean firstRound);

  /** The new second moment given the new first moment. */
  abstract double secondMoment(double v, double m);

  @Override
  final List<String> slotNames() {
    return hasMomentum() ? List.of(MOMENTUM, SECOND_MOMENT) : List.of(SECOND_MOMENT);
  }

  @Override
  final Map<String, TensorMap> initialSlots(TensorMap global) {
    TensorMap v = global.filledLike((float) (tau * tau));
    return hasMomentum() ? Map.of(MOMENTUM, global.filledLike(0f), SECOND_MOMENT, v) : Map.of(SECOND_MOMENT, v);
  }

  @Override
  final Aggregation newAggregation(TensorMap global, ServerState state) {
    return new AbstractAggregation(global, state, false) {
      private final RunningSum deltaSum = new RunningSum(global);

      @Override
      void accumulate(ClientUpdate update) {
        deltaSum.addDifference(update.weights(), global, 1.0);
      }

      @Override
      RoundResult result(int count) {
        boolean firstRound = state.round() == 0;
        TensorMap oldM = hasMomentum() ? state.slot(MOMENTUM) : null;
        TensorMap oldV = state.slot(SECOND_MOMENT);
        TensorMap.Builder next = TensorMap.builder();
        TensorMap.Builder newM = TensorMap.builder();
        TensorMap.Builder newV = TensorMap.builder();
        List<String> names = deltaSum.names();
        for (int t = 0; t < names.size(); t++) {
          String name = names.get(t);
          double[] sum = deltaSum.sum(t);
          float[] w = global.get(name).data();
          float[] mOld = oldM == null ? null : oldM.get(name).data();
          float[] vOld = oldV.get(name).data();
          float[] wOut = new float[w.length];
          float[] mOut = new float[w.length];
          float[] vOut = new float[w.length];
          for (int i = 0; i < w.length; i++) {
            double delta = sum[i] / count;
            double m = firstMoment(mOld == null ? 0 : mOld[i], delta, firstRound);
            double v = secondMoment(vOld[i], m);
            wOut[i] = (float) (w[i] + eta * m / (Math.sqrt(v) + tau));
            mOut[i] = (float) m;
            vOut[i] = (float) v;
          }
          long[] shape = global.get(name).shape();
          next.put(name, new Tensor(shape, wOut));
          newM.put(name, new Tensor(shape, mOut));
          newV.put(name, new Tensor(shape, vOut));
        }
        Map<String, TensorMap> slots = hasMomentum()
            ? Map.of(MOMENTUM, newM.build(), SECOND_MOMENT, newV.build())
            : Map.of(SECOND_MOMENT, newV.build());
        return new RoundResult(next.build(), state.next(slots));
      }
    };
  }
}
