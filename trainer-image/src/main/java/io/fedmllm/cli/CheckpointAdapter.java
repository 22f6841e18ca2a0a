package io.fedmllm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.ExpectedTensors;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.PeftLayout;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.tensor.NamedTensor;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import io.fedmllm.tensor.lora.LoraAdapter;
import io.fedmllm.tensor.lora.LoraNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A PEFT LoRA adapter directory checked against the checkpoint it adapts, so that what we compute with it is what
 * {@code PeftModel.from_pretrained} computes: every tensor of {@code adapter_model.safetensors} is a LoRA factor of a
 * decoder module in PEFT's naming for the family ({@link PeftLayout}) that {@code target_modules} selects (PEFT drops
 * the others without effect), A is [r, in] and B is [out, r] of that layer of the checkpoint, and factors come in
 * pairs. F16 / BF16 factors are widened to float32. Tensors are held by canonical module name
 * ({@code text.layers.0.self_attn.q_proj.lora_A.weight}), the names {@link LoraAdapters} takes.
 */
record CheckpointAdapter(AdapterConfig config, Map<String, Tensor> byCanonicalName) {

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
    TensorMap.Builder stored = TensorMap.builder();
    try (SafetensorsReader reader = SafetensorsReader.openCheckpoint(modelFile)) {
      for (NamedTensor named : reader) {
        stored.put(named.name(), named.tensor());
      }
    }
    TensorMap tensors = stored.build();
    if (tensors.isEmpty()) {
      throw new IOException(modelFile + ": holds no LoRA tensors");
    }
    try {
      new LoraAdapter(config, tensors);
    } catch (IllegalArgumentException e) {
      throw new IOException(modelFile + ": " + e.getMessage() + " (" + AdapterFiles.CONFIG_FILE + ": r "
          + config.r() + ", target_modules " + config.targetModules() + ")", e);
    }
    PeftLayout layout = PeftLayout.of(checkpoint.config().family());
    Map<String, long[]> expected = ExpectedTensors.of(checkpoint.config());
    Map<String, Tensor> byCanonical = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors) {
      String key = e.getKey();
      String module;
      try {
        module = layout.canonicalModule(key);
      } catch (IllegalArgumentException notOurs) {
        throw new IOException(modelFile + ": " + notOurs.getMessage() + " for a " + checkpoint.config().family()
            .name().toLowerCase(Locale.ROOT) + " checkpoint", notOurs);
      }
      long[] weight = expected.get(module + ".weight");
      if (weight == null) {
        throw new IOException(modelFile + ": tensor '" + key + "' adapts " + module + ", which the decoder of "
            + checkpoint.dir() + " (" + checkpoint.config().text().layers() + " layers) does not have");
      }
      boolean isA = LoraNames.parse(key).orElseThrow().factor() == LoraNames.Factor.A;
      long[] want = isA ? new long[] {config.r(), weight[1]} : new long[] {weight[0], config.r()};
      if (!Arrays.equals(e.getValue().shape(), want)) {
        throw new IOException(modelFile + ": tensor '" + key + "' has shape " + Arrays.toString(e.getValue().shape())
            + ", expected " + Arrays.toString(want) + " (r " + config.r() + ", " + module + " is "
            + Arrays.toString(weight) + ")");
      }
      byCanonical.put(module + (isA ? ".lora_A.weight" : ".lora_B.weight"), e.getValue());
    }
    return new CheckpointAdapter(config, byCanonical);
  }

  /** The adapters as arrays of {@code manager}, scaled by {@code lora_alpha / r}. */
  LoraAdapters toArrays(NDManager manager) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    byCanonicalName.forEach((name, t) -> arrays.put(name, manager.create(t.data(), new Shape(t.shape()))));
    return LoraAdapters.fromArrays(arrays, config.loraAlpha());
  }
}
