package io.fedmllm.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on the AWS SDK v2 S3 client, path-style, against any S3-compatible endpoint.
 *
 * <p>Every put carries a SHA-256 checksum that the server verifies. Transient failures (connection refused or reset,
 * timeouts, HTTP 5xx and 429) are retried here with the {@link RetryPolicy}'s exponential backoff for at most its
 * total budget; the SDK's own retries are off so that budget is the only one. Permanent failures (403, a missing
 * bucket, ...) fail at once with a one-line message naming the operation and key.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final StorageSettings settings;
  private final RetryPolicy retry;

  private S3ObjectStore(S3Client s3, StorageSettings settings, RetryPolicy retry) {
    this.s3 = s3;
    this.settings = settings;
    this.retry = retry;
  }

  /** Connects with credentials from the standard AWS environment variables, system properties or files. */
  public static S3ObjectStore connect(StorageSettings settings, RetryPolicy retry) {
    return connect(settings, retry, DefaultCredentialsProvider.builder().build());
  }

  /** Connects with the given credentials (the embedded store's generated keys). */
  public static S3ObjectStore connect(StorageSettings settings, RetryPolicy retry, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder = S3Clients.builder(settings.endpoint(), settings.region(), credentials, retry)
        .overrideConfiguration(c -> c
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(retry.attemptTimeout())
            .apiCallTimeout(retry.attemptTimeout()));
    return new S3ObjectStore(builder.build(), settings, retry);
  }

  public StorageSettings settings() {
    return settings;
  }

  /** Creates the bucket unless it exists. */
  public void ensureBucket() {
    call("check bucket", "", () -> {
      try {
        s3.headBucket(b -> b.bucket(settings.bucket()));
      } catch (S3Exception e) {
        if (e.statusCode() != 404) {
          throw e;
        }
        s3.createBucket(b -> b.bucket(settings.bucket()));
      }
      return null;
    });
  }

  @Override
  public void put(String key, byte[] data) {
    call("put", key, () -> s3.putObject(
        b -> b.bucket(settings.bucket()).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256),
        RequestBody.fromBytes(data)));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] data) {
    boolean created = call("conditional put", key, () -> {
      try {
        s3.putObject(b -> b.bucket(settings.bucket()).key(key).ifNoneMatch("*")
            .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(data));
        return true;
      } catch (S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 409) {
          return false;
        }
        throw e;
      }
    });
    if (created) {
      return true;
    }
    // A retried attempt may meet the object its own lost-response attempt created: identical bytes count as ours.
    return get(key).map(existing -> java.util.Arrays.equals(existing, data)).orElse(false);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return call("get", key, () -> {
      try {
        return Optional.of(s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)).asByteArray());
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public boolean exists(String key) {
    return call("head", key, () -> {
      try {
        s3.headObject(b -> b.bucket(settings.bucket()).key(key));
        return true;
      } catch (NoSuchKeyException e) {
        return false;
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public int deletePrefix(String prefix) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("delete prefix must end with '/': '" + prefix + "'");
    }
    int deleted = 0;
    while (true) {
      List<S3Object> page = call("list", prefix,
          () -> s3.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(prefix).maxKeys(1000)).contents());
      if (page.isEmpty()) {
        return deleted;
      }
      List<ObjectIdentifier> ids = new ArrayList<>();
      page.forEach(o -> ids.add(ObjectIdentifier.builder().key(o.key()).build()));
      call("delete", prefix, () -> s3.deleteObjects(b -> b.bucket(settings.bucket())
          .delete(Delete.builder().objects(ids).quiet(true).build())));
      deleted += ids.size();
    }
  }

  @Override
  public String describe() {
    return settings.toString();
  }

  @Override
  public void close() {
    s3.close();
  }

  private <T> T call(String operation, String key, Supplier<T> attempt) {
    long deadline = System.nanoTime() + retry.totalBudget().toNanos();
    for (int n = 1; ; n++) {
      try {
        return attempt.get();
      } catch (SdkException e) {
        boolean transientFailure = isTransient(e);
        String message = "storage " + operation + " " + settings + "/" + key + " failed: " + oneLine(e);
        long waitNanos = retry.backoff(n).toNanos();
        if (!transientFailure || System.nanoTime() + waitNanos > deadline) {
          throw new StorageException(message + (transientFailure ? " (gave up after " + n + " attempts in "
              + retry.totalBudget().toSeconds() + " s)" : ""), e, transientFailure);
        }
        sleep(waitNanos);
      }
    }
  }

  static boolean isTransient(SdkException e) {
    if (e instanceof S3Exception s) {
      return s.statusCode() >= 500 || s.statusCode() == 429 || s.statusCode() == 408;
    }
    return e instanceof SdkClientException;
  }

  private static String oneLine(SdkException e) {
    String m = e instanceof S3Exception s && s.awsErrorDetails() != null
        ? s.statusCode() + " " + s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
        : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting to retry a storage call", ie, true);
    }
  }
}
