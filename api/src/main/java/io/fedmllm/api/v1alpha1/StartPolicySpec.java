package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * When the first round starts. Clients may join and leave a running federation; without a start policy round 0
 * starts as soon as minClients clients exist, which with objects applied in waves can be the first one applied.
 */
@ValidationRule(
    value = CelRules.START_TIMEOUT_POSITIVE,
    message = CelRules.START_TIMEOUT_POSITIVE_MESSAGE,
    fieldPath = ".timeout")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StartPolicySpec {

  @JsonPropertyDescription("FederationClients round 0 waits for (at least minClients). Absent: minClients.")
  @Min(1)
  @Max(100000)
  private Integer minClients;

  @JsonPropertyDescription(
      "How long round 0 waits for them, e.g. 10m, measured from when the aggregator starts waiting; then it starts "
      + "with the clients that exist if they reach minClients. Absent: it waits (the aggregator restarts its wait "
      + "after an hour).")
  @Pattern(ApiPatterns.DURATION)
  private String timeout;

  public Integer getMinClients() {
    return minClients;
  }

  public void setMinClients(Integer minClients) {
    this.minClients = minClients;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }
}
