package io.fedmllm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.ExpectedTensors;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.TensorNaming;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.tensor.NamedTensor;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PEFT LoRA adapter directory checked against the checkpoint it adapts: every tensor of
 * {@code adapter_model.safetensors} names a linear layer of the checkpoint's language model, A is [r, in] and B is
 * [out, r] of that layer with the config's {@code r}, and every A has its B. Tensors are held by canonical module name
 * ({@code text.layers.0.self_attn.q_proj.lora_A.weight}), the names {@link LoraAdapters} takes.
 */
record CheckpointAdapter(AdapterConfig config, Map<String, Tensor> byCanonicalName) {

  private static final String A = ".lora_A.weight";
  private static final String B = ".lora_B.weight";

  static CheckpointAdapter read(Path dir, HfCheckpoint checkpoint) throws IOException {
    Path configFile = dir.resolve(AdapterFiles.CONFIG_FILE);
    Path modelFile = dir.resolve(AdapterFiles.MODEL_FILE);
    for (Path f : new Path[] {configFile, modelFile}) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f.toString(), null, "missing (a PEFT adapter directory needs "
            + AdapterFiles.CONFIG_FILE + " and " + AdapterFiles.MODEL_FILE + ")");
      }
    }
    AdapterConfig config = AdapterFiles.readConfig(configFile);
    Map<String, long[]> expected = ExpectedTensors.of(checkpoint.config());
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> keys = new LinkedHashMap<>();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(modelFile)) {
      for (NamedTensor named : reader) {
        String key = named.name();
        String canonical = canonical(checkpoint, key).orElseThrow(() -> new IOException(modelFile + ": tensor '"
            + key + "' names no LoRA factor of a language-model linear layer of " + checkpoint.dir()));
        String module = canonical.substring(0, canonical.length() - A.length());
        long[] weight = expected.get(module + ".weight");
        if (weight == null || !module.startsWith("text.layers.")) {
          throw new IOException(modelFile + ": tensor '" + key + "' adapts " + module + ", which is no linear layer "
              + "of the language model of " + checkpoint.dir());
        }
        long[] want = canonical.endsWith(A) ? new long[] {config.r(), weight[1]} : new long[] {weight[0], config.r()};
        if (!Arrays.equals(named.tensor().shape(), want)) {
          throw new IOException(modelFile + ": tensor '" + key + "' has shape "
              + Arrays.toString(named.tensor().shape()) + ", expected " + Arrays.toString(want) + " (r " + config.r()
              + " of " + AdapterFiles.CONFIG_FILE + ", layer " + module + " " + Arrays.toString(weight) + ")");
        }
        tensors.put(canonical, named.tensor());
        keys.put(canonical, key);
      }
    }
    for (String name : tensors.keySet()) {
      String partner = name.endsWith(A) ? name.substring(0, name.length() - A.length()) + B
          : name.substring(0, name.length() - B.length()) + A;
      if (!tensors.containsKey(partner)) {
        throw new IOException(modelFile + ": tensor '" + keys.get(name) + "' has no "
            + (name.endsWith(A) ? "lora_B" : "lora_A") + " partner");
      }
    }
    if (tensors.isEmpty()) {
      throw new IOException(modelFile + ": holds no LoRA tensors");
    }
    return new CheckpointAdapter(config, tensors);
  }

  /** The canonical name of a PEFT key, e.g. {@code text.layers.0.self_attn.q_proj.lora_A.weight}. */
  private static Optional<String> canonical(HfCheckpoint checkpoint, String peftKey) {
    String prefix = "base_model.model.";
    if (!peftKey.startsWith(prefix) || !(peftKey.endsWith(A) || peftKey.endsWith(B))) {
      return Optional.empty();
    }
    return TensorNaming.canonical(checkpoint.config().family(), peftKey.substring(prefix.length()))
        .filter(name -> name.startsWith("text."));
  }

  /** The adapters as arrays of {@code manager}, scaled by {@code lora_alpha / r}. */
  LoraAdapters toArrays(NDManager manager) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    byCanonicalName.forEach((name, t) -> arrays.put(name, manager.create(t.data(), new Shape(t.shape()))));
    return LoraAdapters.fromArrays(arrays, config.loraAlpha());
  }
}
