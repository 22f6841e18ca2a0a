package io.fedmllm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.Batch;
import io.fedmllm.model.ForwardContext;
import io.fedmllm.model.ImagePreprocessor;
import io.fedmllm.model.LanguageModelLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Central training of the whole base model (vision encoder, projector and LM) on a public split: the stand-in for
 * the pre-trained MLLM that cannot be downloaded here. Afterwards the base is frozen again.
 */
public final class Pretrainer {
  /** Hyper-parameters of base pre-training. */
  public record Settings(int steps, int batchSize, double peakLearningRate, double warmupFraction, long seed) {
    public Settings {
      if (steps <= 0 || batchSize <= 0 || !(peakLearningRate > 0)) {
        throw new IllegalArgumentException("pretrain: steps, batch size and learning rate must be positive");
      }
    }
  }

  /** Loss curve of a pre-training run. */
  public record Result(double firstLoss, double lastLoss, int steps, double seconds) {}

  private final BaseModel base;
  private final Settings settings;

  public Pretrainer(BaseModel base, Settings settings) {
    this.base = base;
    this.settings = settings;
  }

  public Result run(List<Sample> publicSplit, IntConsumer progress) {
    long started = System.nanoTime();
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : base.lm().namedParameters().entrySet()) {
      arrays.put(e.getKey(), e.getValue().getArray());
    }
    base.lm().freezeParameters(false);
    ImagePreprocessor images = base.newImagePreprocessor();
    CosineSchedule schedule = new CosineSchedule(settings.peakLearningRate(), settings.steps(), settings.warmupFraction(), 0.1);
    AdamW optimiser = new AdamW(0.9, 0.95, 1e-8, 0.01);
    BatchCursor cursor = new BatchCursor(publicSplit.size(), new Random(settings.seed()));
    Map<String, float[]> theta = Gradients.values(arrays);
    double first = Double.NaN;
    double recent = 0;
    int recentCount = 0;
    try {
      for (int step = 0; step < settings.steps(); step++) {
        List<Sample> batch = new ArrayList<>(settings.batchSize());
        for (int index : cursor.next(settings.batchSize())) {
          batch.add(publicSplit.get(index));
        }
        double loss = backward(base.batch(batch, images));
        if (step == 0) {
          first = loss;
        }
        if (step >= settings.steps() - Math.max(1, settings.steps() / 10)) {
          recent += loss;
          recentCount++;
        }
        Map<String, float[]> grads = Gradients.take(arrays);
        Gradients.clipGlobalNorm(grads, 1.0);
        optimiser.beginStep();
        double lr = schedule.rate(step);
        for (Map.Entry<String, float[]> e : theta.entrySet()) {
          optimiser.update(e.getKey(), e.getValue(), grads.get(e.getKey()), lr);
          arrays.get(e.getKey()).set(e.getValue());
        }
        progress.accept(step + 1);
      }
    } finally {
      base.lm().freezeParameters(true);
    }
    return new Result(first, recent / recentCount, settings.steps(), (System.nanoTime() - started) / 1e9);
  }

  private double backward(Batch batch) {
    NDManager manager = base.manager();
    try (NDScope scope = new NDScope();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      ForwardContext ctx = ForwardContext.inference(manager, null);
      NDList in = batch.inputs(manager);
      NDArray logits = base.lm().logits(ctx, in.get(0), in.get(1), in.get(2), in.get(3));
      NDArray loss =
          LanguageModelLoss.meanCrossEntropy(
              ctx, logits, batch.targets(manager), batch.lossMask(manager), batch.scoredTokens());
      collector.backward(loss);
      return loss.getFloat();
    }
  }
}
