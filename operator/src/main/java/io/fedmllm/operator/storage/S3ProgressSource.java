package io.fedmllm.operator.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fedmllm.api.progress.FederationProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads {@code status.json} and deletes prefixes with the plain AWS SDK S3 client (path-style, any endpoint). The
 * credentials are the same Secret the pods get (read through the API server by name, never logged); without a Secret
 * the operator's own default AWS credential chain is used. A short per-call timeout keeps a dead store from stalling
 * a reconcile thread.
 */
@ApplicationScoped
public class S3ProgressSource implements ProgressSource {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesClient kubernetes;

  public S3ProgressSource(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public StorageReading read(String namespace, StorageLocation location) {
    try (S3Client s3 = connect(namespace, location)) {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(location.bucket())
          .key(location.statusKey()));
      return new StorageReading.Snapshot(JSON.readValue(bytes.asByteArray(), FederationProgress.class));
    } catch (NoSuchKeyException e) {
      return new StorageReading.NotStarted();
    } catch (S3Exception e) {
      return new StorageReading.Unreachable("s3://" + location.bucket() + ": HTTP " + e.statusCode() + " "
          + firstLine(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()));
    } catch (Exception e) {
      return new StorageReading.Unreachable(location.uri(location.statusKey()) + ": " + firstLine(e.getMessage()));
    }
  }

  @Override
  public void deletePrefix(String namespace, StorageLocation location) throws StorageAccessException {
    try (S3Client s3 = connect(namespace, location)) {
      ListObjectsV2Request list = ListObjectsV2Request.builder().bucket(location.bucket())
          .prefix(location.prefix() + "/").build();
      for (var page : s3.listObjectsV2Paginator(list)) {
        List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
            .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        if (!keys.isEmpty()) {
          s3.deleteObjects(b -> b.bucket(location.bucket()).delete(Delete.builder().objects(keys).quiet(true).build()));
        }
      }
    } catch (Exception e) {
      throw new StorageAccessException("deleting " + location.uri(location.prefix() + "/") + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  private S3Client connect(String namespace, StorageLocation location) throws StorageAccessException {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CALL_TIMEOUT).socketTimeout(CALL_TIMEOUT))
        .region(Region.of(location.region()))
        .forcePathStyle(true)
        .credentialsProvider(credentials(namespace, location))
        .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT.multipliedBy(3)));
    location.endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    return builder.build();
  }

  private AwsCredentialsProvider credentials(String namespace, StorageLocation location)
      throws StorageAccessException {
    if (location.credentialsSecret().isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String name = location.credentialsSecret().get();
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null) {
      throw new StorageAccessException("Secret " + namespace + "/" + name + " not found", null);
    }
    String access = decode(secret, "AWS_ACCESS_KEY_ID");
    String key = decode(secret, "AWS_SECRET_ACCESS_KEY");
    if (access == null || key == null) {
      throw new StorageAccessException("Secret " + namespace + "/" + name
          + " lacks AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY", null);
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, key));
  }

  private static String decode(Secret secret, String key) {
    String value = secret.getData().get(key);
    return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).trim();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
