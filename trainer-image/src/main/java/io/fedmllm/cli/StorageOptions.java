package io.fedmllm.cli;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.metrics.MeteredObjectStore;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolTiming;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.storage.S3DatasetFetcher;
import io.fedmllm.storage.S3ObjectStore;
import io.fedmllm.storage.StorageSettings;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a process finds its federation in object storage. Credentials are not options: they come from the standard
 * AWS environment variables ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) or files.
 */
final class StorageOptions {

  @Option(names = "--endpoint", description = "S3-compatible endpoint URL (default: AWS S3).")
  URI endpoint;

  @Option(names = "--region", description = "Signing region (default: $AWS_REGION or us-east-1).")
  String region;

  @Option(names = "--bucket", required = true, description = "Bucket holding the federation.")
  String bucket;

  @Option(names = "--prefix", required = true, description = "Key prefix of the federation, e.g. federations/demo.")
  String prefix;

  @Option(names = "--storage-retry-seconds", defaultValue = "60",
      description = "How long a storage call retries transient failures (default: ${DEFAULT-VALUE}).")
  int retrySeconds;

  @Option(names = "--poll-millis", defaultValue = "1000",
      description = "How often manifests are polled (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  FederationLayout layout() {
    return new FederationLayout(prefix);
  }

  ManifestStore connect(FederationMetrics metrics) {
    ObjectStore store = S3ObjectStore.connect(new StorageSettings(endpoint, region(), bucket), retryPolicy());
    return new ManifestStore(new MeteredObjectStore(store, metrics));
  }

  /** Downloads {@code s3:} data sources from this storage's endpoint and region (the bucket is the source's). */
  S3DatasetFetcher datasetFetcher() {
    return S3DatasetFetcher.standard(endpoint, region(), retryPolicy(), System.out);
  }

  private String region() {
    return region != null ? region : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
  }

  private RetryPolicy retryPolicy() {
    return RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(retrySeconds));
  }

  ProtocolTiming timing(Duration trainerMaxIdle) {
    return new ProtocolTiming(Duration.ofMillis(pollMillis), trainerMaxIdle);
  }
}
