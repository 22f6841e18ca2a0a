package io.fedmllm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.fedmllm.data.Sample;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.ForwardContext;
import io.fedmllm.model.LanguageModelLoss;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelInputs;
import io.fedmllm.model.SampleImages;
import io.fedmllm.strategy.client.ClientObjectiveTerm;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * One client's local training for one round: starts from the round's global adapter, runs a hand-written loop
 * (micro-batches, gradient accumulation, global-norm clipping, AdamW on the device) over the client's own samples, and
 * returns the new adapter. The base model is shared and frozen; adapter arrays, optimiser state and random streams
 * belong to this call alone. Everything is seeded: the same inputs give the same bytes.
 */
public final class LocalTrainer {
  private final FoundationModel base;
  private final LoraConfig lora;
  private final TrainingConfig config;
  private final DoubleConsumer stepSeconds;
  private final DeviceMemory memory;

  public LocalTrainer(FoundationModel base, LoraConfig lora, TrainingConfig config) {
    this(base, lora, config, seconds -> {});
  }

  /** @param stepSeconds receives the wall time of every optimiser step (for benchmarks and metrics) */
  public LocalTrainer(FoundationModel base, LoraConfig lora, TrainingConfig config, DoubleConsumer stepSeconds) {
    this(base, lora, config, stepSeconds, DeviceMemory.system());
  }

  /** @param memory read after every optimiser step; the round's peak is in the {@link LocalUpdate} */
  LocalTrainer(
      FoundationModel base, LoraConfig lora, TrainingConfig config, DoubleConsumer stepSeconds, DeviceMemory memory) {
    this.base = base;
    this.lora = lora;
    this.config = config;
    this.stepSeconds = stepSeconds;
    this.memory = memory;
  }

  public TrainingConfig config() {
    return config;
  }

  /**
   * @param terms client objective terms (FedProx / middle-layer regulariser on the gradient, SCAFFOLD correction
   *     on the parameters after each optimiser step), possibly empty
   * @param images the client's image cache
   */
  public LocalUpdate train(
      TensorMap globalAdapter,
      List<Sample> samples,
      SampleImages images,
      double learningRate,
      long seed,
      List<ClientObjectiveTerm> terms) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one training sample");
    }
    long started = System.nanoTime();
    int steps = config.stepsFor(samples.size());
    Random order = new Random(seed);
    SplittableRandom dropout = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    BatchCursor cursor = new BatchCursor(samples.size(), order);
    double lossSum = 0;
    int seen = 0;
    long peakMemory = 0;
    try (NDManager clientManager = base.manager().newSubManager();
        LoraWeights weights = LoraWeights.fromTensors(base, lora, globalAdapter, clientManager)) {
      weights.requireGradients();
      DeviceAdamW optimiser = new DeviceAdamW(config, clientManager);
      for (int step = 0; step < steps; step++) {
        long stepStarted = System.nanoTime();
        double stepLoss = 0;
        for (int micro = 0; micro < config.gradientAccumulation(); micro++) {
          List<Sample> batchSamples = new ArrayList<>(config.batchSize());
          List<String> answers = new ArrayList<>(config.batchSize());
          for (int index : cursor.next(config.batchSize())) {
            batchSamples.add(samples.get(index));
            answers.add(samples.get(index).answer());
          }
          seen += batchSamples.size();
          stepLoss += backward(weights, base.encode(batchSamples, answers, images), dropout, clientManager);
        }
        lossSum += stepLoss / config.gradientAccumulation() + optimiserStep(weights, optimiser, learningRate, terms);
        stepSeconds.accept((System.nanoTime() - stepStarted) / 1e9);
        peakMemory = Math.max(peakMemory, memory.usedBytes(clientManager.getDevice()));
      }
      TensorMap result = weights.toTensors();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new LocalUpdate(
          result, samples.size(), steps, lossSum / steps, seen / Math.max(seconds, 1e-9), peakMemory);
    }
  }

  /**
   * Clips the accumulated gradients to the global norm, adds the objective terms' gradients, steps AdamW and applies
   * the terms' parameter corrections, all on the arrays' device; the optimiser zeroes the gradients. Returns the
   * terms' value (their part of the reported loss).
   */
  private double optimiserStep(
      LoraWeights weights, DeviceAdamW optimiser, double learningRate, List<ClientObjectiveTerm> terms) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
        grads.put(e.getKey(), e.getValue().getGradient());
      }
      float clip = GradientNorm.clipFactor(grads.values(), config.maxGradNorm());
      NDArray penalty = null;
      if (!terms.isEmpty()) {
        // terms add to the clipped gradient, so clip in place first (without terms the update scales it)
        for (NDArray g : grads.values()) {
          if (clip != 1f) {
            g.muli(clip);
          }
        }
        clip = 1f;
        for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
          NDArray theta = e.getValue().stopGradient();
          for (ClientObjectiveTerm term : terms) {
            NDArray value = term.apply(e.getKey(), theta, grads.get(e.getKey()));
            if (value != null) {
              penalty = penalty == null ? value : penalty.add(value);
            }
          }
        }
      }
      optimiser.beginStep();
      for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
        optimiser.update(e.getKey(), e.getValue(), grads.get(e.getKey()), clip, learningRate);
      }
      if (!terms.isEmpty()) {
        for (Map.Entry<String, NDArray> e : weights.arrays().entrySet()) {
          NDArray theta = e.getValue().stopGradient();
          for (ClientObjectiveTerm term : terms) {
            term.afterStep(e.getKey(), theta, learningRate);
          }
        }
      }
      return penalty == null ? 0 : penalty.getFloat();
    }
  }

  /** Forward and backward of one micro-batch; gradients accumulate on the adapter arrays. Returns the loss. */
  private double backward(LoraWeights weights, ModelInputs batch, SplittableRandom dropout, NDManager clientManager) {
    try (NDScope scope = new NDScope();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      NDManager step = clientManager;
      ForwardContext ctx = new ForwardContext(step, true, weights, dropout);
      NDArray logits = base.logits(ctx, batch);
      NDArray loss =
          LanguageModelLoss.meanCrossEntropy(
              ctx, logits, batch.targets(step), batch.lossMask(step), batch.scoredTokens());
      NDArray scaled = loss.mul(ctx.scalar(1f / config.gradientAccumulation()));
      collector.backward(scaled);
      return loss.getFloat();
    }
  }
}
