package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The outcome of one committed round.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoundSummary {

  @JsonPropertyDescription("Round number, 1-based.")
  private Integer round;

  @JsonPropertyDescription("Accepted client updates.")
  private Integer clients;

  @JsonPropertyDescription("Sampled clients whose update did not arrive or was rejected.")
  private List<String> missingClients;

  @JsonPropertyDescription("Members the round sampled from (the FederationClients that existed when it started).")
  private Integer poolSize;

  @JsonPropertyDescription("Members of this round's pool that were not in the previous round's.")
  private List<String> joinedClients;

  @JsonPropertyDescription("Members of the previous round's pool that are not in this round's.")
  private List<String> leftClients;

  @JsonPropertyDescription("Mean local training loss of the accepted updates.")
  private Double meanLoss;

  @JsonPropertyDescription("Evaluation metric of the new global adapter (ROC AUC, macro-F1 or accuracy by task).")
  private Double metric;

  @JsonPropertyDescription("RFC 3339 time the round was committed.")
  private String completionTime;

  public Integer getRound() {
    return round;
  }

  public void setRound(Integer round) {
    this.round = round;
  }

  public Integer getClients() {
    return clients;
  }

  public void setClients(Integer clients) {
    this.clients = clients;
  }

  public List<String> getMissingClients() {
    return missingClients;
  }

  public void setMissingClients(List<String> missingClients) {
    this.missingClients = missingClients;
  }

  public Integer getPoolSize() {
    return poolSize;
  }

  public void setPoolSize(Integer poolSize) {
    this.poolSize = poolSize;
  }

  public List<String> getJoinedClients() {
    return joinedClients;
  }

  public void setJoinedClients(List<String> joinedClients) {
    this.joinedClients = joinedClients;
  }

  public List<String> getLeftClients() {
    return leftClients;
  }

  public void setLeftClients(List<String> leftClients) {
    this.leftClients = leftClients;
  }

  public Double getMeanLoss() {
    return meanLoss;
  }

  public void setMeanLoss(Double meanLoss) {
    this.meanLoss = meanLoss;
  }

  public Double getMetric() {
    return metric;
  }

  public void setMetric(Double metric) {
    this.metric = metric;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }
}
