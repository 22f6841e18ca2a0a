package io.fedmllm.strategy;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.List;
import java.util.Map;

/**
 * SCAFFOLD (Karimireddy et al., 2020) as the authors' code base (OpenFedLLM, which FedMLLM builds on) runs it, server
 * side: with {@code S} the clients of this round, {@code n = sum_S n_k} their samples and {@code N} all clients,
 * {@code w = w + eta * sum_S (n_k / n)(w_k - w)} (sample-weighted: with {@code eta = 1} FedAvg's average of the client
 * adapters, as in the reference) and {@code c = c + (|S| / N) mean_S(delta c_k)}. Parameters {@code eta} (global
 * step size, default 1.0, the reference's implicit value) and {@code numClients} ({@code N}, required). State slot
 * {@code c}, initially 0; clients read it with {@link #controlVariate(ServerState)} and correct their parameters by
 * {@code -lr (c - c_i)} after every optimiser step ({@link io.fedmllm.strategy.client.ScaffoldCorrection}). Every
 * update must carry its {@code delta c_i}.
 *
 * <p>{@code N} is the pool of the round (members may join and leave between rounds), so a state written with one
 * {@code numClients} continues under another: only {@code eta} identifies the configuration. The state keeps the
 * parameters it was created with in its metadata.
 */
public final class Scaffold extends AbstractServerStrategy {

  public static final String NAME = "scaffold";
  static final String CONTROL = "c";

  private final double eta;
  private final long numClients;
  private final String parameters;

  public Scaffold(Map<String, ? extends Number> params) {
    StrategyParameters p = new StrategyParameters(NAME, params);
    this.eta = p.positive("eta", 1.0);
    this.numClients = p.count("numClients");
    this.parameters = p.finish();
  }

  /** The server control variate {@code c} that clients need for their gradient correction. */
  public static TensorMap controlVariate(ServerState state) {
    if (!NAME.equals(state.strategy())) {
      throw new IllegalArgumentException("not a SCAFFOLD state: " + state);
    }
    return state.slot(CONTROL);
  }

  /**
   * The client's new control variate, SCAFFOLD's option II:
   * {@code c_i+ = c_i - c + (w - y_i) / (steps * learningRate)}, where {@code w} is the global adapter the client
   * started from and {@code y_i} its adapter after {@code steps} local optimiser steps. The update to send is
   * {@code c_i+ - c_i}, see {@link #controlDelta}.
   */
  public static TensorMap clientControlVariate(TensorMap clientControl, TensorMap serverControl, TensorMap global,
      TensorMap local, long steps, double learningRate) {
    if (steps < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("need steps >= 1 and learningRate > 0, got " + steps + ", " + learningRate);
    }
    global.requireSameLayout(clientControl, "client control variate");
    global.requireSameLayout(serverControl, "server control variate");
    global.requireSameLayout(local, "local adapter");
    double scale = 1.0 / (steps * learningRate);
    TensorMap.Builder out = TensorMap.builder();
    for (Map.Entry<String, Tensor> e : global) {
      String name = e.getKey();
      float[] ci = clientControl.get(name).data();
      float[] c = serverControl.get(name).data();
      float[] w = e.getValue().data();
      float[] y = local.get(name).data();
      float[] next = new float[w.length];
      for (int i = 0; i < next.length; i++) {
        next[i] = (float) ((double) ci[i] - c[i] + ((double) w[i] - y[i]) * scale);
      }
      out.put(name, new Tensor(e.getValue().shape(), next));
    }
    return out.build();
  }

  /** {@code newControl - oldControl}, the {@link ClientUpdate#controlDelta()} a client sends. */
  public static TensorMap controlDelta(TensorMap newControl, TensorMap oldControl) {
    newControl.requireSameLayout(oldControl, "control variates");
    TensorMap.Builder out = TensorMap.builder();
    for (Map.Entry<String, Tensor> e : newControl) {
      float[] a = e.getValue().data();
      float[] b = oldControl.get(e.getKey()).data();
      float[] d = new float[a.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = a[i] - b[i];
      }
      out.put(e.getKey(), new Tensor(e.getValue().shape(), d));
    }
    return out.build();
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
  boolean continues(String stateParameters) {
    return withoutClientCount(stateParameters).equals(withoutClientCount(parameters()));
  }

  private static String withoutClientCount(String parameters) {
    return java.util.Arrays.stream(parameters.split(",")).filter(p -> !p.startsWith("numClients="))
        .collect(java.util.stream.Collectors.joining(","));
  }

  @Override
  List<String> slotNames() {
    return List.of(CONTROL);
  }

  @Override
  Map<String, TensorMap> initialSlots(TensorMap global) {
    return Map.of(CONTROL, global.filledLike(0f));
  }

  @Override
  Aggregation newAggregation(TensorMap global, ServerState state) {
    return new AbstractAggregation(global, state, true) {
      private final RunningSum weightDelta = new RunningSum(global);
      private final RunningSum controlDelta = new RunningSum(global);
      private long samples;

      @Override
      void beforeAccumulate(ClientUpdate update, int countIncludingThis) {
        if (countIncludingThis > numClients) {
          throw new IllegalArgumentException("SCAFFOLD was configured for numClients=" + numClients
              + " but received update number " + countIncludingThis + " (client '" + update.clientId() + "')");
        }
      }

      @Override
      void accumulate(ClientUpdate update) {
        weightDelta.addDifference(update.weights(), global, update.numSamples());
        samples += update.numSamples();
        controlDelta.add(update.controlDelta(), 1.0);
      }

      @Override
      RoundResult result(int count) {
        TensorMap oldC = state.slot(CONTROL);
        TensorMap.Builder next = TensorMap.builder();
        TensorMap.Builder newC = TensorMap.builder();
        List<String> names = weightDelta.names();
        for (int t = 0; t < names.size(); t++) {
          String name = names.get(t);
          double[] dw = weightDelta.sum(t);
          double[] dc = controlDelta.sum(t);
          float[] w = global.get(name).data();
          float[] c = oldC.get(name).data();
          float[] wOut = new float[w.length];
          float[] cOut = new float[w.length];
          for (int i = 0; i < w.length; i++) {
            wOut[i] = (float) (w[i] + eta * (dw[i] / samples));
            // (|S| / N) * (sum / |S|) = sum / N
            cOut[i] = (float) (c[i] + dc[i] / numClients);
          }
          long[] shape = global.get(name).shape();
          next.put(name, new Tensor(shape, wOut));
          newC.put(name, new Tensor(shape, cOut));
        }
        return new RoundResult(next.build(), state.next(Map.of(CONTROL, newC.build())));
      }
    };
  }
}
