package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The server update rules of the paper and its code (names as in the engine's ServerStrategies). */
public enum ServerStrategyName {
  /** Sample-weighted average of the client adapters. */
  @JsonProperty("fedavg")
  FEDAVG,
  /** FedAvg with server momentum (beta1). */
  @JsonProperty("fedavgm")
  FEDAVGM,
  /** Adam on the mean client delta (eta, tau, beta1, beta2). */
  @JsonProperty("fedadam")
  FEDADAM,
  /** Yogi on the mean client delta (eta, tau, beta1, beta2). */
  @JsonProperty("fedyogi")
  FEDYOGI,
  /** Adagrad on the mean client delta (eta, tau): the paper's default with its client strategies. */
  @JsonProperty("fedadagrad")
  FEDADAGRAD,
  /** SCAFFOLD control variates (eta). */
  @JsonProperty("scaffold")
  SCAFFOLD
}
