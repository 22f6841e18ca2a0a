package io.fedmllm.data.partition;

import io.fedmllm.data.Sample;
import java.util.List;

/**
 * The full client split of the benchmark: Dirichlet label skew first, then the scenario's modality removal, both
 * from one seed (the paper uses 42). Works on any labelled sample list, synthetic or read from the official files.
 *
 * @param clients number of clients
 * @param seed seed of the label skew and of the scenario's draws
 * @param defaultAlpha label-skew alpha for scenarios that do not set one (all but aligned)
 */
public record ScenarioPartitioner(int clients, long seed, double defaultAlpha) {

  public ScenarioPartitioner {
    if (clients < 1) {
      throw new IllegalArgumentException("need at least one client, got " + clients);
    }
  }

  /** With {@link Scenario#DEFAULT_LABEL_SKEW_ALPHA} for scenarios that do not set their own alpha. */
  public ScenarioPartitioner(int clients, long seed) {
    this(clients, seed, Scenario.DEFAULT_LABEL_SKEW_ALPHA);
  }

  /** Per-client sample lists; client {@code i} is element {@code i}. */
  public List<List<Sample>> partition(List<Sample> samples, Scenario scenario) {
    double alpha = scenario.labelSkewAlpha().orElse(defaultAlpha);
    List<List<Sample>> labelSkewed = new DirichletPartitioner(alpha, seed).partition(samples, clients);
    return scenario.apply(labelSkewed, seed);
  }
}
