package io.fedmllm.bench;

/** One cell sample: a method on a setting with one seed. */
public record BenchmarkResult(
    String method, String setting, long seed, double metric, double accuracy, double seconds) {

  /** Whether this is the result of {@code method} on {@code setting} with {@code seed}. */
  public boolean isCell(String method, String setting, long seed) {
    return this.method.equals(method) && this.setting.equals(setting) && this.seed == seed;
  }
}
