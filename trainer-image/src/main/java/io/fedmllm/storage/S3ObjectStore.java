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

  /** The caller's SHA-256 travels as the request's checksum: the server verifies it, the SDK does not hash again. */
  @Override
  public void put(String key, byte[] data, byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("put " + key + ": a SHA-256 has 32 bytes, got " + sha256.length);
    }
    String checksum = java.util.Base64.getEncoder().encodeToString(sha256);
    call("put", key, () -> s3.putObject(
        b -> b.bucket(settings.bucket()).key(key).checksumSHA256(checksum), RequestBody.fromBytes(data)));
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

  /**
   * Streams the body into one array of the announced length, feeding each chunk to {@code digest} while it is still
   * in cache: no intermediate buffers (the SDK's byte-array transformer copies an 8 MB body several times) and no
   * second pass for the checksum. A retried attempt starts with a fresh digest state.
   */
  @Override
  public Optional<byte[]> get(String key, long expectedSize, java.security.MessageDigest digest) {
    return call("get", key, () -> {
      digest.reset();
      try (software.amazon.awssdk.core.ResponseInputStream<software.amazon.awssdk.services.s3.model.GetObjectResponse>
          in = s3.getObject(b -> b.bucket(settings.bucket()).key(key))) {
        Long announced = in.response().contentLength();
        long length = announced != null ? announced : expectedSize;
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
          throw new StorageException("storage get " + settings + "/" + key + ": object of " + length
              + " bytes is too large for one array", null, false);
        }
        byte[] data = new byte[(int) length];
        int filled = 0;
        while (filled < data.length) {
          int n = in.read(data, filled, Math.min(READ_CHUNK, data.length - filled));
          if (n < 0) {
            throw software.amazon.awssdk.core.exception.SdkClientException.create(
                "connection closed after " + filled + " of " + length + " bytes");
          }
          digest.update(data, filled, n);
          filled += n;
        }
        if (in.read() >= 0) {
          throw software.amazon.awssdk.core.exception.SdkClientException.create(
              "body longer than its Content-Length " + length);
        }
        return Optional.of(data);
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      } catch (java.io.IOException e) {
        throw software.amazon.awssdk.core.exception.SdkClientException.create(
            "reading the body failed: " + e.getMessage(), e);
      }
    });
  }

  /** Bytes read (and hashed) at a time: small enough to stay in the core's cache between copy and digest. */
  private static final int READ_CHUNK = 256 * 1024;

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
