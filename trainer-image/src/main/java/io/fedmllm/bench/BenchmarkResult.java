package io.fedmllm.bench;

/** One cell sample: a method on a setting with one seed. */
public record BenchmarkResult(
    String method, String setting, long seed, double metric, double accuracy, double seconds) {}
