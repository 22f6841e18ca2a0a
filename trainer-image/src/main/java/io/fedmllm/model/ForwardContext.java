package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * What one forward pass needs besides its input: whether it trains, the caller's LoRA weights (absent for the bare
 * base model) and a private random stream for adapter dropout.
 *
 * <p>Dropout runs on the tensors' device (the engine's fused dropout), each mask drawn from the engine's generator
 * seeded with the next value of a Java {@link SplittableRandom} owned by the caller ({@link EngineRandom}), so clients
 * training on threads of one process stay reproducible and nothing per element is built on the heap. Scalars used
 * inside the graph are materialised as arrays in the step's manager (a scalar argument to a DJL op can be freed before
 * backward runs).
 */
public final class ForwardContext {
  private final NDManager manager;
  private final boolean training;
  private final LoraWeights lora;
  private final SplittableRandom dropoutRandom;

  public ForwardContext(
      NDManager manager, boolean training, LoraWeights lora, SplittableRandom dropoutRandom) {
    this.manager = manager;
    this.training = training;
    this.lora = lora;
    this.dropoutRandom = dropoutRandom;
  }

  /**
   * A pass without dropout: evaluation, or pre-training of the base (which has no dropout of its own). Gradients are
   * still recorded for arrays that require them.
   */
  public static ForwardContext inference(NDManager manager, LoraWeights lora) {
    return new ForwardContext(manager, false, lora, null);
  }

  public NDManager manager() {
    return manager;
  }

  public boolean training() {
    return training;
  }

  /** The adapter in use, or null when running the base model. */
  public LoraWeights lora() {
    return lora;
  }

  /** A 0-d array holding {@code value}, alive for this step. */
  public NDArray scalar(float value) {
    return manager.full(new Shape(), value);
  }

  /**
   * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by 1/(1-p). Identity when
   * not training or p is 0.
   */
  public NDArray dropout(NDArray x, float p) {
    if (!training || p <= 0f) {
      return x;
    }
    if (dropoutRandom == null) {
      throw new IllegalStateException("training forward pass needs a dropout random stream");
    }
    return EngineRandom.seeded(dropoutRandom.nextInt(), () -> x.getNDArrayInternal().dropout(x, p, true).head());
  }
}
