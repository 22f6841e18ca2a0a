package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Local training of each sampled client in each round: AdamW (beta2 0.95, weight decay 0.1) with gradient
 * accumulation and a cosine learning rate across rounds.
 */
@ValidationRule(value = CelRules.EPOCHS_OR_STEPS, message = CelRules.EPOCHS_OR_STEPS_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {

  @JsonPropertyDescription(
      "Passes over the client's data per round. Set this or localSteps; neither means 1 (the paper's "
      + "recipe).")
  @Min(1)
  @Max(1000)
  private Integer localEpochs;

  @JsonPropertyDescription("Optimiser steps per round, whatever the client's data size. Set this or localEpochs.")
  @Min(1)
  @Max(1000000)
  private Integer localSteps;

  @JsonPropertyDescription("Micro-batch size.")
  @Default("8")
  @Min(1)
  @Max(4096)
  private Integer batchSize = 8;

  @JsonPropertyDescription("Micro-batches accumulated per optimiser step.")
  @Default("1")
  @Min(1)
  @Max(1024)
  private Integer gradientAccumulation = 1;

  @JsonPropertyDescription("Peak learning rate of the cosine schedule across rounds.")
  @Default("2.0e-5")
  @Min(value = 0, inclusive = false)
  @Max(1)
  private Double learningRate = 2.0e-5;

  @JsonPropertyDescription("Fraction of the rounds with linear warm-up, in [0, 1).")
  @Default("0.01")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double warmupRatio = 0.01;

  @JsonPropertyDescription("Learning rate of the last round as a fraction of the peak.")
  @Default("0.1")
  @Min(0)
  @Max(1)
  private Double minLearningRateRatio = 0.1;

  @JsonPropertyDescription(
      "Seed of client sampling, local training order and dropout; the same seed reproduces a run bit for "
      + "bit.")
  @Default("42")
  @Min(0)
  private Long seed = 42L;

  @JsonPropertyDescription(
      "Device trainers run the model on: auto (a CUDA GPU when the pod sees one, e.g. through an nvidia.com/gpu "
      + "request, else the CPU), cpu, or cuda (fail when no GPU is visible).")
  @Default("auto")
  private TrainingDevice device = TrainingDevice.AUTO;

  public Integer getLocalEpochs() {
    return localEpochs;
  }

  public void setLocalEpochs(Integer localEpochs) {
    this.localEpochs = localEpochs;
  }

  public Integer getLocalSteps() {
    return localSteps;
  }

  public void setLocalSteps(Integer localSteps) {
    this.localSteps = localSteps;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Integer getGradientAccumulation() {
    return gradientAccumulation;
  }

  public void setGradientAccumulation(Integer gradientAccumulation) {
    this.gradientAccumulation = gradientAccumulation;
  }

  public Double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  public Double getWarmupRatio() {
    return warmupRatio;
  }

  public void setWarmupRatio(Double warmupRatio) {
    this.warmupRatio = warmupRatio;
  }

  public Double getMinLearningRateRatio() {
    return minLearningRateRatio;
  }

  public void setMinLearningRateRatio(Double minLearningRateRatio) {
    this.minLearningRateRatio = minLearningRateRatio;
  }

  public Long getSeed() {
    return seed;
  }

  public void setSeed(Long seed) {
    this.seed = seed;
  }

  public TrainingDevice getDevice() {
    return device;
  }

  public void setDevice(TrainingDevice device) {
    this.device = device;
  }
}
