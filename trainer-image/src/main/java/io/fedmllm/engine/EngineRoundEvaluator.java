package io.fedmllm.engine;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.SampleImages;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.RoundEvaluator;
import io.fedmllm.api.progress.RoundMetric;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.train.MultipleChoiceEvaluator;
import java.util.List;
import java.util.Optional;

/** Evaluates global adapters on the federation's evaluation split with the engine's multiple-choice scorer. */
public final class EngineRoundEvaluator implements RoundEvaluator {

  private final FoundationModel base;
  private final Task task;
  private final List<Sample> samples;
  private final MultipleChoiceEvaluator evaluator;
  private final SampleImages images;

  /** @param samples the evaluation split as stored (the client strategy's prompt rewrite is applied here) */
  public EngineRoundEvaluator(FoundationModel base, FederationConfig config, List<Sample> samples) {
    this.base = base;
    this.task = config.task();
    this.samples = config.clientStrategy().prepare(samples);
    this.evaluator = new MultipleChoiceEvaluator(base, config.lora());
    this.images = base.newImageCache();
  }

  @Override
  public Optional<RoundMetric> evaluate(TensorMap globalAdapter) {
    synchronized (base) {
      return Optional.of(evaluator.evaluate(task, globalAdapter, samples, images).asRoundMetric());
    }
  }
}
