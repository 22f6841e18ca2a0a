package io.fedmllm.manifest;

import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.SyntheticDataSpec;
import io.fedmllm.data.DatasetLoader;
import io.fedmllm.data.Sample;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticSpec;
import io.fedmllm.data.synthetic.SyntheticSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a data source of the API into samples: files through {@link DatasetLoader}, an {@code s3://} prefix through a
 * {@link RemoteData} download, or the built-in generator, optionally split like the paper's benchmark (Dirichlet label
 * skew, then the modality scenario) with this client taking part {@code index} of {@code clients}.
 *
 * <p>Every client of a synthetic partition regenerates the same pool from the same seed, so a trainer only ever holds
 * its own part; within one process the split is computed once and shared. Errors are {@link IOException}s whose
 * message starts with the field path, e.g. {@code spec.data.path: /data/hm does not exist}.
 */
public final class ClientDataResolver {

  /**
   * Fetches the objects under an {@code s3://} prefix to a local folder (storage belongs to the caller; the commands
   * use {@link io.fedmllm.storage.S3DatasetFetcher}). Its messages are one line without the URI, e.g.
   * {@code no objects}; this class prefixes the field and URI: {@code spec.data.s3: s3://b/p: no objects}.
   */
  @FunctionalInterface
  public interface RemoteData {
    Path fetch(String s3Uri) throws IOException;
  }

  private final VolumePaths paths;
  private final Optional<RemoteData> remote;
  private final Map<PartitionKey, List<List<Sample>>> partitions = new ConcurrentHashMap<>();

  private record PartitionKey(String generator, String scenario, int clients) {}

  private ClientDataResolver(VolumePaths paths, Optional<RemoteData> remote) {
    this.paths = paths;
    this.remote = remote;
  }

  /**
   * For {@code fedmllm local}: relative paths are resolved against the manifest's folder, {@code hostPath} volumes are
   * folders of this machine, PersistentVolumeClaims do not exist and {@code s3} sources go through {@code remote}.
   */
  public static ClientDataResolver forLocalRun(Path manifestDirectory, Optional<RemoteData> remote) {
    return new ClientDataResolver(VolumePaths.forLocalRun(manifestDirectory), remote);
  }

  /**
   * For a trainer pod: the operator mounts the client's volume (claim or host path) at {@code volumeMount}, so
   * {@code path} is read below it.
   */
  public static ClientDataResolver inPod(Path volumeMount, Optional<RemoteData> remote) {
    return new ClientDataResolver(VolumePaths.inPod(volumeMount), remote);
  }

  /**
   * The training samples of a client ({@code split} defaults to {@code train}).
   *
   * @throws IOException naming the field and the file when the data cannot be read or holds no usable sample (an
   *     empty file, or a synthetic partition that gives this client nothing): a client that cannot train fails its
   *     pre-flight instead of joining a round
   */
  public List<Sample> clientSamples(FederationClientSpec client) throws IOException {
    List<Sample> samples = load(client.getData(), "train", "spec.data");
    if (samples.isEmpty()) {
      SyntheticDataSpec s = client.getData().getSynthetic();
      if (s == null) {
        throw new IOException("spec.data: no usable samples");
      }
      throw new IOException("spec.data.synthetic: the partition " + s.getScenario() + " gives client index "
          + s.getIndex() + " of " + s.getClients() + " no samples of " + s.getGenerator());
    }
    return samples;
  }

  /** The samples the aggregator evaluates on ({@code split} defaults to {@code test}). */
  public List<Sample> evalSamples(FederationSpec federation) throws IOException {
    return load(federation.getEvalData(), "test", "spec.evalData");
  }

  private List<Sample> load(DataSourceSpec data, String defaultSplit, String field) throws IOException {
    String split = data.getSplit() != null ? data.getSplit() : defaultSplit;
    if (data.getFormat() == DataFormat.SYNTHETIC) {
      return synthetic(data.getSynthetic(), split, field + ".synthetic");
    }
    Path location = data.getS3() != null ? download(data.getS3(), field + ".s3") : localPath(data, field);
    try {
      return DatasetLoader.load(ApiMappings.format(data.getFormat()), location, split);
    } catch (IOException e) {
      throw new IOException(field + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(field + ".split: " + e.getMessage(), e);
    }
  }

  private List<Sample> synthetic(SyntheticDataSpec s, String split, String field) throws IOException {
    SyntheticSpec spec = parse(() -> SyntheticSpec.parse(s.getGenerator()), field + ".generator");
    SyntheticSplit which = parse(() -> SyntheticSplit.fromName(split), field.replace(".synthetic", ".split"));
    if (s.getScenario() == null) {
      return spec.generate(which);
    }
    if (which != SyntheticSplit.POOL) {
      throw new IOException(field.replace(".synthetic", ".split") + ": a synthetic partition splits the train"
          + " (pool) split, not '" + split + "'");
    }
    Scenario scenario = parse(() -> Scenario.parse(s.getScenario()), field + ".scenario");
    PartitionKey key = new PartitionKey(s.getGenerator(), scenario.spec(), s.getClients());
    List<List<Sample>> parts = partitions.computeIfAbsent(key, k ->
        new ScenarioPartitioner(k.clients(), spec.seed()).partition(spec.generate(SyntheticSplit.POOL), scenario));
    return parts.get(s.getIndex());
  }

  private Path localPath(DataSourceSpec data, String field) throws IOException {
    return paths.resolve(data.getVolume(), data.getPath(), field);
  }

  private Path download(String uri, String field) throws IOException {
    if (remote.isEmpty()) {
      throw new IOException(field + ": reading " + uri + " needs object storage, and this run has none");
    }
    try {
      return remote.get().fetch(uri);
    } catch (IOException e) {
      throw new IOException(field + ": " + uri + ": " + e.getMessage(), e);
    }
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T parse(Parse<T> parse, String field) throws IOException {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IOException(field + ": " + e.getMessage(), e);
    }
  }
}
