package io.fedmllm.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An S3 endpoint inside this JVM: S3Proxy with its filesystem backend, listening on 127.0.0.1 only, on a free port
 * (or a given one), with freshly generated access keys. Used by {@code fedmllm local} and by the protocol tests.
 * {@link #close()} stops it cleanly (in-flight requests finish, the port is released); {@link #stop()} and
 * {@link #start()} let tests simulate a storage restart on the same port and directory.
 *
 * <p>The keys never appear in logs or command lines; child processes receive them through the standard
 * {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} environment variables ({@link #childEnvironment()}).
 */
public final class EmbeddedObjectStore implements AutoCloseable {

  /** Region the embedded endpoint signs with (S3Proxy accepts any). */
  public static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  static {
    // S3Proxy and its shaded Jetty log every start and stop at INFO; keep their warnings only.
    System.setProperty("org.slf4j.simpleLogger.log.org.gaul", System.getProperty(
        "org.slf4j.simpleLogger.log.org.gaul", "warn"));
  }

  private final Path directory;
  private final String bucket;
  private final String accessKey;
  private final String secretKey;
  private int port;
  private S3Proxy proxy;

  private EmbeddedObjectStore(Path directory, String bucket, int port) {
    this.directory = directory;
    this.bucket = bucket;
    this.port = port;
    SecureRandom random = new SecureRandom();
    this.accessKey = "fedmllm-" + HexFormat.of().formatHex(random.generateSeed(6));
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    this.secretKey = HexFormat.of().formatHex(secret);
  }

  /**
   * Starts a store keeping its objects under {@code directory} and creates {@code bucket}.
   *
   * @param port TCP port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedObjectStore start(Path directory, String bucket, int port) throws IOException {
    Files.createDirectories(directory);
    EmbeddedObjectStore store = new EmbeddedObjectStore(directory.toAbsolutePath(), bucket, port);
    store.start();
    try (S3ObjectStore client = store.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(10)))) {
      client.ensureBucket();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** (Re)starts the endpoint on the same port, directory and keys. */
  public synchronized void start() throws IOException {
    if (proxy != null) {
      return;
    }
    S3Proxy p = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(directory.toString()))
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .stopTimeout(5_000)
        .build();
    try {
      p.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(p.getState())) {
        if (System.nanoTime() > deadline || "FAILED".equals(p.getState())) {
          p.stop();
          throw new IOException("embedded object store did not start within " + START_TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(10);
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("embedded object store failed to start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    port = p.getPort();
    proxy = p;
  }

  /** Stops the endpoint; objects stay on disk, and {@link #start()} brings it back on the same port. */
  public synchronized void stop() {
    if (proxy == null) {
      return;
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("embedded object store did not stop cleanly: " + e.getMessage(), e);
    } finally {
      proxy = null;
    }
  }

  public StorageSettings settings() {
    return new StorageSettings(URI.create("http://127.0.0.1:" + port), REGION, bucket);
  }

  public AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /** A client of this store. */
  public S3ObjectStore connect(RetryPolicy retry) {
    return S3ObjectStore.connect(settings(), retry, credentials());
  }

  /** Environment variables that let a child process's default credential chain authenticate to this store. */
  public Map<String, String> childEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey, "AWS_REGION", REGION);
  }

  public Path directory() {
    return directory;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }
}
