package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The observed state of a FederationClient, filled by the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationClientStatus {

  @JsonPropertyDescription("metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Training, Completed or Failed.")
  private ClientPhase phase;

  @JsonPropertyDescription("Ready, FederationFound, TrainerReady.")
  private List<Condition> conditions;

  @JsonPropertyDescription("Rounds this client's update was accepted in.")
  private Integer roundsParticipated;

  @JsonPropertyDescription("Latest round this client was sampled for.")
  private Integer lastRound;

  @JsonPropertyDescription("Local training loss of its latest update.")
  private Double lastLoss;

  @JsonPropertyDescription("Times its trainer pod was recreated after a failure.")
  private Integer trainerRestarts;

  @JsonPropertyDescription("Reason its latest update was rejected, if it was.")
  private String lastRejection;

  @JsonPropertyDescription("RFC 3339 time its trainer pod last failed; a new pod waits out a backoff from here.")
  private String lastTrainerFailureTime;

  @JsonPropertyDescription("UID of the failed trainer pod last counted in trainerRestarts (counts each failure once).")
  private String lastFailedTrainerUid;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public ClientPhase getPhase() {
    return phase;
  }

  public void setPhase(ClientPhase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getRoundsParticipated() {
    return roundsParticipated;
  }

  public void setRoundsParticipated(Integer roundsParticipated) {
    this.roundsParticipated = roundsParticipated;
  }

  public Integer getLastRound() {
    return lastRound;
  }

  public void setLastRound(Integer lastRound) {
    this.lastRound = lastRound;
  }

  public Double getLastLoss() {
    return lastLoss;
  }

  public void setLastLoss(Double lastLoss) {
    this.lastLoss = lastLoss;
  }

  public Integer getTrainerRestarts() {
    return trainerRestarts;
  }

  public void setTrainerRestarts(Integer trainerRestarts) {
    this.trainerRestarts = trainerRestarts;
  }

  public String getLastRejection() {
    return lastRejection;
  }

  public void setLastRejection(String lastRejection) {
    this.lastRejection = lastRejection;
  }

  public String getLastTrainerFailureTime() {
    return lastTrainerFailureTime;
  }

  public void setLastTrainerFailureTime(String lastTrainerFailureTime) {
    this.lastTrainerFailureTime = lastTrainerFailureTime;
  }

  public String getLastFailedTrainerUid() {
    return lastFailedTrainerUid;
  }

  public void setLastFailedTrainerUid(String lastFailedTrainerUid) {
    this.lastFailedTrainerUid = lastFailedTrainerUid;
  }
}
