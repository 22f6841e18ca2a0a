package io.fedmllm.engine;

import io.fedmllm.data.Sample;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.protocol.FederationConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generated federation data, the same way {@code fedmllm simulate} makes it: a labelled pool split over the clients
 * by a heterogeneity scenario, and a test split for evaluation. Every process regenerates it from the seed, so a
 * trainer only ever holds its own client's part.
 *
 * @param scenario e.g. {@code aligned:0.5}, {@code missing:0.3}
 * @param poolSamples size of the labelled pool shared out among the clients
 * @param testSamples size of the evaluation split
 */
public record SyntheticData(String scenario, int poolSamples, int testSamples, long seed) {

  public SyntheticData {
    Scenario.parse(scenario);
    if (poolSamples <= 0 || testSamples <= 0) {
      throw new IllegalArgumentException("synthetic data: poolSamples and testSamples must be positive");
    }
  }

  /** Every client's samples, in the order of the federation's client list. */
  public List<List<Sample>> partitions(FederationConfig config) {
    SyntheticGenerator generator = generator(config);
    return new ScenarioPartitioner(config.clients().size(), seed)
        .partition(generator.pool(config.task(), poolSamples), Scenario.parse(scenario));
  }

  public List<Sample> clientSamples(FederationConfig config, String client) {
    return partitions(config).get(config.clientIndex(client));
  }

  public List<Sample> evalSamples(FederationConfig config) {
    return generator(config).test(config.task(), testSamples);
  }

  private SyntheticGenerator generator(FederationConfig config) {
    return new SyntheticGenerator(seed, modelConfig(config.model()).imageSize());
  }

  /** A preset name or the path of a model config JSON. */
  public static ModelConfig modelConfig(String model) {
    Path file = Path.of(model);
    if (model.endsWith(".json") || Files.exists(file)) {
      try {
        return ModelConfig.read(file);
      } catch (IOException e) {
        throw new UncheckedIOException("model config " + model + ": " + e.getMessage(), e);
      }
    }
    return ModelConfig.preset(model);
  }
}
