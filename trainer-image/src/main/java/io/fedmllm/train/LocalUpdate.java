package io.fedmllm.train;

import io.fedmllm.tensor.TensorMap;

/**
 * What one client's local training produced in a round: its adapter, how many samples it trained on (the FedAvg
 * weight), the optimiser steps taken and the mean training loss (task loss plus regulariser) over those steps.
 */
public record LocalUpdate(TensorMap adapter, long numSamples, int steps, double meanLoss, double samplesPerSecond) {}
