package io.fedmllm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.model.ForwardContext;
import io.fedmllm.model.LanguageModelLoss;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.model.LoraWeights;
import io.fedmllm.model.ModelInputs;
import io.fedmllm.model.SampleImages;
import io.fedmllm.tensor.TensorMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Multiple-choice evaluation as MLLM benchmarks do it: each answer option is appended to the prompt and scored by the
 * model's log-likelihood of the option's tokens; the best-scoring option is the prediction. For a binary task the
 * score of the positive class is {@code log p(option 1) - log p(option 0)}, which ranks samples for ROC AUC.
 */
public final class MultipleChoiceEvaluator {
  private static final int SEQUENCES_PER_BATCH = 64;

  private final FoundationModel base;
  private final LoraConfig lora;

  public MultipleChoiceEvaluator(FoundationModel base, LoraConfig lora) {
    this.base = base;
    this.lora = lora;
  }

  /** Evaluates the base with {@code adapter} (null: the bare base, i.e. zero-shot). */
  public Evaluation evaluate(Task task, TensorMap adapter, List<Sample> samples, SampleImages images) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("evaluation set is empty");
    }
    double[][] scores = optionLogLikelihoods(adapter, samples, images);
    int n = samples.size();
    int[] labels = new int[n];
    int[] predictions = new int[n];
    double[] positiveScore = new double[n];
    int classes = 0;
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      labels[i] = labelIndex(s);
      predictions[i] = argmax(scores[i]);
      classes = Math.max(classes, s.options().size());
      if (s.options().size() == 2) {
        positiveScore[i] = scores[i][1] - scores[i][0];
      }
    }
    double accuracy = Metrics.accuracy(labels, predictions);
    double metric =
        switch (task.metric()) {
          case ROC_AUC -> Metrics.rocAuc(labels, positiveScore);
          case MACRO_F1 -> Metrics.macroF1(labels, predictions, classes);
          case ACCURACY -> accuracy;
        };
    return new Evaluation(task, metric, accuracy, n);
  }

  /** Log-likelihood of each option of each sample: [sample][option]. */
  public double[][] optionLogLikelihoods(TensorMap adapter, List<Sample> samples, SampleImages images) {
    List<Sample> rows = new ArrayList<>();
    List<String> completions = new ArrayList<>();
    List<int[]> owners = new ArrayList<>();
    double[][] scores = new double[samples.size()][];
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.options().isEmpty()) {
        throw new IllegalArgumentException("sample " + s.id() + " has no answer options to score");
      }
      scores[i] = new double[s.options().size()];
      for (int o = 0; o < s.options().size(); o++) {
        rows.add(s);
        completions.add(s.options().get(o));
        owners.add(new int[] {i, o});
      }
    }
    try (NDManager manager = base.manager().newSubManager();
        LoraWeights weights = adapter == null ? null : LoraWeights.fromTensors(base, lora, adapter, manager)) {
      for (int start = 0; start < rows.size(); start += SEQUENCES_PER_BATCH) {
        int end = Math.min(rows.size(), start + SEQUENCES_PER_BATCH);
        ModelInputs batch = base.encode(rows.subList(start, end), completions.subList(start, end), images);
        float[] ll = logLikelihood(batch, weights, manager);
        for (int k = start; k < end; k++) {
          int[] owner = owners.get(k);
          scores[owner[0]][owner[1]] = ll[k - start];
        }
      }
    }
    return scores;
  }

  private float[] logLikelihood(ModelInputs batch, LoraWeights weights, NDManager manager) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      ForwardContext ctx = ForwardContext.inference(manager, weights);
      NDArray logits = base.logits(ctx, batch);
      return LanguageModelLoss.sequenceLogLikelihood(logits, batch.targets(manager), batch.lossMask(manager))
          .toFloatArray();
    }
  }

  private static int labelIndex(Sample s) {
    if (s.label().isPresent()) {
      return s.label().get();
    }
    int index = s.options().indexOf(s.answer());
    if (index < 0) {
      throw new IllegalArgumentException(
          "sample " + s.id() + ": answer '" + s.answer() + "' is not one of its options " + s.options());
    }
    return index;
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
