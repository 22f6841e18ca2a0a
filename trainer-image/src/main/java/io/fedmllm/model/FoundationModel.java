package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fedmllm.data.Sample;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import java.util.List;

/**
 * The frozen base a federation fine-tunes with LoRA, as training and evaluation see it: the built-in
 * {@link BaseModel} or a Hugging Face checkpoint ({@code io.fedmllm.hf.HfFoundation}). It encodes samples with the
 * completion to score, runs the forward pass with a client's adapter, and defines the adapter's tensors (names in
 * PEFT's layout for this architecture, shapes, fresh initialisation). Loaded once per process, shared read-only by
 * every client trained in it.
 */
public interface FoundationModel extends AutoCloseable {

  /** The manager the frozen base weights live in; clients make sub-managers of it. */
  NDManager manager();

  /** One line for logs, e.g. {@code tiny (0.83 M parameters)}. */
  String describe();

  /** Number of decoder layers (the middle-layer regulariser and FedProx address adapters by layer). */
  int decoderLayers();

  /**
   * A fresh adapter as PEFT initialises one: A Kaiming-uniform, B zero, so the adapted model starts out as the base;
   * drawn from a Java generator so the same seed gives the same bytes everywhere. Its names and shapes are the only
   * adapter layout this base accepts.
   */
  TensorMap initialAdapter(LoraConfig lora, long seed);

  /** The PEFT {@code adapter_config.json} of adapters trained on this base. */
  AdapterConfig adapterConfig(LoraConfig lora, boolean inferenceMode);

  /** A per-client cache of decoded, preprocessed images. */
  SampleImages newImageCache();

  /**
   * One batch of samples, each followed by its completion (the answer trained on, or an option scored); only the
   * completion's tokens are scored.
   */
  ModelInputs encode(List<Sample> samples, List<String> completions, SampleImages images);

  /** Next-token logits [B, T, vocab] aligned with {@link ModelInputs#targets}. */
  NDArray logits(ForwardContext ctx, ModelInputs inputs);

  @Override
  void close();
}
