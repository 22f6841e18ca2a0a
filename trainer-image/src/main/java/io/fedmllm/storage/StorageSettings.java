package io.fedmllm.storage;

import java.net.URI;
import java.util.Objects;

/**
 * Where a federation's objects live: an S3-compatible endpoint (AWS S3, MinIO, Ceph RGW, S3Proxy), always addressed
 * path-style, a region for request signing, and a bucket. Credentials are deliberately not part of the settings: they
 * come from the standard AWS environment variables or files (see {@link S3ObjectStore}).
 *
 * @param endpoint e.g. {@code http://127.0.0.1:9000}; null means AWS S3's regional endpoint
 * @param region signing region, e.g. {@code us-east-1}
 * @param bucket bucket name
 */
public record StorageSettings(URI endpoint, String region, String bucket) {

  public StorageSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("storage bucket must not be empty");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
        || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
      throw new IllegalArgumentException("storage endpoint '" + endpoint + "' is not an http(s)://host[:port] URL");
    }
  }

  @Override
  public String toString() {
    return (endpoint == null ? "s3" : endpoint.toString()) + "/" + bucket;
  }
}
