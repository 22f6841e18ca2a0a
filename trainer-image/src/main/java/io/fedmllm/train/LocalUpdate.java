package io.fedmllm.train;

import io.fedmllm.tensor.TensorMap;

/**
 * What one client's local training produced in a round: its adapter, how many samples it trained on (the FedAvg
 * weight), the optimiser steps taken, the mean training loss (task loss plus regulariser) over those steps and the
 * most memory any step left in use ({@link DeviceMemory}; 0 when not measured).
 */
public record LocalUpdate(
    TensorMap adapter, long numSamples, int steps, double meanLoss, double samplesPerSecond, long peakMemoryBytes) {

  public LocalUpdate(TensorMap adapter, long numSamples, int steps, double meanLoss, double samplesPerSecond) {
    this(adapter, numSamples, steps, meanLoss, samplesPerSecond, 0);
  }
}
