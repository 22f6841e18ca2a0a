package io.fedmllm.storage;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The one S3 client configuration of the processes: path-style addressing (S3Proxy, MinIO, Ceph), an optional custom
 * endpoint, connection and socket timeouts of one attempt, and the SDK's own retries off so that {@link RetryPolicy}
 * is the only retry loop.
 */
final class S3Clients {
  private S3Clients() {}

  /** A builder with that configuration; callers may add timeouts of their own before {@code build()}. */
  static S3ClientBuilder builder(URI endpoint, String region, AwsCredentialsProvider credentials, RetryPolicy retry) {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .httpClientBuilder(Apache5HttpClient.builder()
            .connectionTimeout(retry.attemptTimeout())
            .socketTimeout(retry.attemptTimeout()))
        .overrideConfiguration(c -> c
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(retry.attemptTimeout()));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }
}
