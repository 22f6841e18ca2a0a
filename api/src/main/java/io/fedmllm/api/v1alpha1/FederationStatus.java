package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The observed state of a Federation, filled by the operator from the pods and the protocol's status object.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationStatus {

  @JsonPropertyDescription("metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Running, Suspended, Succeeded or Failed.")
  private FederationPhase phase;

  @JsonPropertyDescription("Ready, AggregatorReady, ClientsReady, StorageReady.")
  private List<Condition> conditions;

  @JsonPropertyDescription("Round in progress (1-based); 0 before the first.")
  private Integer currentRound;

  @JsonPropertyDescription("Rounds committed to storage.")
  private Integer completedRounds;

  @JsonPropertyDescription("spec.rounds the progress refers to.")
  private Integer totalRounds;

  @JsonPropertyDescription("completedRounds/totalRounds, for the Round printer column.")
  private String progress;

  @JsonPropertyDescription("FederationClients whose trainer is running.")
  private Integer clientsReady;

  @JsonPropertyDescription("Clients with an accepted update in the last round.")
  private Integer clientsParticipating;

  @JsonPropertyDescription("Name of the task's metric: roc_auc, macro_f1 or accuracy.")
  private String metricName;

  @JsonPropertyDescription("Metric of the latest global adapter.")
  private Double lastMetric;

  @JsonPropertyDescription("The latest committed global adapter.")
  private AdapterReference latestAdapter;

  @JsonPropertyDescription("The most recent rounds, oldest first (bounded).")
  private List<RoundSummary> history;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public FederationPhase getPhase() {
    return phase;
  }

  public void setPhase(FederationPhase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getCurrentRound() {
    return currentRound;
  }

  public void setCurrentRound(Integer currentRound) {
    this.currentRound = currentRound;
  }

  public Integer getCompletedRounds() {
    return completedRounds;
  }

  public void setCompletedRounds(Integer completedRounds) {
    this.completedRounds = completedRounds;
  }

  public Integer getTotalRounds() {
    return totalRounds;
  }

  public void setTotalRounds(Integer totalRounds) {
    this.totalRounds = totalRounds;
  }

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
  }

  public Integer getClientsReady() {
    return clientsReady;
  }

  public void setClientsReady(Integer clientsReady) {
    this.clientsReady = clientsReady;
  }

  public Integer getClientsParticipating() {
    return clientsParticipating;
  }

  public void setClientsParticipating(Integer clientsParticipating) {
    this.clientsParticipating = clientsParticipating;
  }

  public String getMetricName() {
    return metricName;
  }

  public void setMetricName(String metricName) {
    this.metricName = metricName;
  }

  public Double getLastMetric() {
    return lastMetric;
  }

  public void setLastMetric(Double lastMetric) {
    this.lastMetric = lastMetric;
  }

  public AdapterReference getLatestAdapter() {
    return latestAdapter;
  }

  public void setLatestAdapter(AdapterReference latestAdapter) {
    this.latestAdapter = latestAdapter;
  }

  public List<RoundSummary> getHistory() {
    return history;
  }

  public void setHistory(List<RoundSummary> history) {
    this.history = history;
  }
}
