package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The S3-compatible object storage all rounds go through (adapters, plans, server state, status). Absent: fedmllm
 * local starts an embedded store.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

  @JsonPropertyDescription("Endpoint URL, e.g. http://minio.storage:9000. Absent: AWS S3 of the region.")
  @Pattern(ApiPatterns.ENDPOINT)
  private String endpoint;

  @JsonPropertyDescription("Bucket name.")
  @Required
  @Pattern(ApiPatterns.BUCKET)
  private String bucket;

  @JsonPropertyDescription("Key prefix of this federation. Absent: <namespace>/<federation name>.")
  @Pattern(ApiPatterns.PREFIX)
  private String prefix;

  @JsonPropertyDescription("Region sent to the endpoint.")
  @Default("us-east-1")
  @Pattern("^[a-z0-9-]+$")
  private String region = "us-east-1";

  @JsonPropertyDescription(
      "Name of a Secret in the namespace with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, given to "
      + "the pods as environment variables. Absent: the pods' ambient credentials.")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  private String credentialsSecret;

  @JsonPropertyDescription(
      "Retain keeps the federation's objects when the Federation is deleted; Delete removes its prefix "
      + "first.")
  @Default("Retain")
  private RetainPolicy retainPolicy = RetainPolicy.RETAIN;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(String credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public RetainPolicy getRetainPolicy() {
    return retainPolicy;
  }

  public void setRetainPolicy(RetainPolicy retainPolicy) {
    this.retainPolicy = retainPolicy;
  }
}
