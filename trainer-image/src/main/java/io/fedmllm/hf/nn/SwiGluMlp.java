package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.fedmllm.hf.TextConfig;
import java.io.IOException;

/** {@code down(silu(gate(x)) * up(x))}, the Llama MLP. */
public record SwiGluMlp(Linear gate, Linear up, Linear down) {

  public static SwiGluMlp load(CheckpointArrays arrays, String prefix, TextConfig config, LoraAdapters adapters)
      throws IOException {
    return new SwiGluMlp(Linear.load(arrays, prefix + ".gate_proj", config.mlpBias(), adapters),
        Linear.load(arrays, prefix + ".up_proj", config.mlpBias(), adapters),
        Linear.load(arrays, prefix + ".down_proj", config.mlpBias(), adapters));
  }

  public NDArray apply(NDArray x) {
    NDArray g = gate.apply(x);
    return down.apply(g.mul(Activation.sigmoid(g)).mul(up.apply(x)));
  }
}
