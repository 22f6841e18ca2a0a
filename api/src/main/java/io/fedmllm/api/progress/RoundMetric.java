package io.fedmllm.api.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The global adapter's score on the federation's evaluation split: the task metric and accuracy. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoundMetric(String metricName, double metric, double accuracy, int samples) {}
