package io.fedmllm.tensor.lora;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.Arrays;
import java.util.Map;

/**
 * A LoRA adapter: its PEFT config and its factor tensors. Construction checks that every tensor is a LoRA factor of a
 * configured target module, that A is {@code [r, in]} and B is {@code [out, r]} with the configured rank, and that
 * factors come in A/B pairs.
 */
public record LoraAdapter(AdapterConfig config, TensorMap tensors) {

  public LoraAdapter {
    for (Map.Entry<String, Tensor> e : tensors) {
      check(config, tensors, e.getKey(), e.getValue());
    }
  }

  private static void check(AdapterConfig config, TensorMap tensors, String name, Tensor t) {
    LoraNames.LoraTensorName parsed = LoraNames.parse(name).orElseThrow(
        () -> new IllegalArgumentException("tensor '" + name + "' is not a LoRA factor name"));
    if (!config.targetModules().selects(parsed.modulePath())) {
      throw new IllegalArgumentException("tensor '" + name + "' adapts module " + parsed.modulePath()
          + ", which target_modules " + config.targetModules() + " does not select");
    }
    long[] shape = t.shape();
    int rankAxis = parsed.factor() == LoraNames.Factor.A ? 0 : 1;
    if (shape.length != 2 || shape[rankAxis] != config.r()) {
      throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + ", expected "
          + (rankAxis == 0 ? "[r=" + config.r() + ", in]" : "[out, r=" + config.r() + "]"));
    }
    if (!tensors.contains(parsed.partner())) {
      throw new IllegalArgumentException("tensor '" + name + "' has no partner '" + parsed.partner() + "'");
    }
  }
}
