package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A committed global adapter in object storage.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdapterReference {

  @JsonPropertyDescription("s3:// URI of the adapter object.")
  private String uri;

  @JsonPropertyDescription("Round (1-based) that produced it.")
  private Integer round;

  @JsonPropertyDescription("SHA-256 of the object, hex.")
  private String sha256;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public Integer getRound() {
    return round;
  }

  public void setRound(Integer round) {
    this.round = round;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }
}
