package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.fedmllm.hf.TextConfig;
import java.io.IOException;

/** {@code down(silu(gate(x)) * up(x))}, the Llama MLP. */
public record SwiGluMlp(Linear gate, Linear up, Linear down) {

  public static SwiGluMlp load(CheckpointArrays arrays, String prefix, TextConfig config) throws IOException {
    return new SwiGluMlp(Linear.load(arrays, prefix + ".gate_proj", config.mlpBias()),
        Linear.load(arrays, prefix + ".up_proj", config.mlpBias()),
        Linear.load(arrays, prefix + ".down_proj", config.mlpBias()));
  }

  public NDArray apply(NDArray x, LoraAdapters adapters) {
    NDArray g = gate.apply(x, adapters);
    return down.apply(g.mul(Activation.sigmoid(g)).mul(up.apply(x, adapters)), adapters);
  }

  /** The linear layers adapters may target. */
  public java.util.List<Linear> linears() {
    return java.util.List.of(gate, up, down);
  }
}
