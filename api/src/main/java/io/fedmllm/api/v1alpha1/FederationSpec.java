package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The desired federation: the model and recipe every client trains with, how clients are sampled and aggregated,
 * where rounds are stored, and how its pods are scheduled.
 */
@ValidationRule(value = CelRules.SAMPLING_ONE_OF, message = CelRules.SAMPLING_ONE_OF_MESSAGE)
@ValidationRule(
    value = CelRules.MIN_CLIENTS_WITHIN_ROUND,
    message = CelRules.MIN_CLIENTS_WITHIN_ROUND_MESSAGE,
    fieldPath = ".minClients")
@ValidationRule(
    value = CelRules.DEADLINE_POSITIVE,
    message = CelRules.DEADLINE_POSITIVE_MESSAGE,
    fieldPath = ".roundDeadline")
@ValidationRule(
    value = CelRules.START_WITHIN_QUORUM,
    message = CelRules.START_WITHIN_QUORUM_MESSAGE,
    fieldPath = ".startPolicy.minClients")
@ValidationRule(
    value = CelRules.HALF_TRANSFER_NOT_SCAFFOLD,
    message = CelRules.HALF_TRANSFER_NOT_SCAFFOLD_MESSAGE,
    fieldPath = ".adapter.transferDtype")
@ValidationRule(
    value = CelRules.EVAL_NOT_PARTITIONED,
    message = CelRules.EVAL_NOT_PARTITIONED_MESSAGE,
    fieldPath = ".evalData.synthetic")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FederationSpec {

  @JsonPropertyDescription("Benchmark task: fixes the prompt, the answer options and the metric.")
  @Required
  private TaskType task;

  @JsonPropertyDescription("The base model.")
  @Required
  private ModelSpec model;

  @JsonPropertyDescription("LoRA settings.")
  @Default("{}")
  private AdapterSpec adapter = new AdapterSpec();

  @JsonPropertyDescription("Federated rounds to run (raise it on a finished federation to continue).")
  @Default("50")
  @Min(1)
  @Max(100000)
  private Integer rounds = 50;

  @JsonPropertyDescription("Clients sampled per round; all clients when it exceeds their number.")
  @Min(1)
  @Max(100000)
  private Integer clientsPerRound;

  @JsonPropertyDescription("Fraction of the clients sampled per round (at least one), instead of clientsPerRound.")
  @Min(value = 0, inclusive = false)
  @Max(1)
  private Double clientFraction;

  @JsonPropertyDescription("Quorum: accepted updates a round needs when its deadline passes.")
  @Default("1")
  @Min(1)
  private Integer minClients = 1;

  @JsonPropertyDescription("How long a round waits for its updates, e.g. 10m, 90s, 1h30m.")
  @Default("1h")
  @Pattern(ApiPatterns.DURATION)
  private String roundDeadline = "1h";

  @JsonPropertyDescription(
      "When round 0 starts: once this many clients exist, or after a timeout with those there. Clients may join and"
      + " leave between rounds; each round samples from the clients that exist when it starts.")
  private StartPolicySpec startPolicy;

  @JsonPropertyDescription("Local training recipe.")
  @Default("{}")
  private TrainingSpec training = new TrainingSpec();

  @JsonPropertyDescription("Server update rule and its parameters.")
  @Default("{}")
  private ServerStrategySpec serverStrategy = new ServerStrategySpec();

  @JsonPropertyDescription("Client-side plug-ins.")
  @Default("{}")
  private ClientStrategiesSpec clientStrategies = new ClientStrategiesSpec();

  @JsonPropertyDescription("Data the aggregator scores every new global adapter on.")
  @Required
  private DataSourceSpec evalData;

  @JsonPropertyDescription("Object storage of the rounds.")
  private StorageSpec storage;

  @JsonPropertyDescription("Image of the trainer pods. Absent: the operator's default.")
  @Size(min = 1, max = 512)
  private String trainerImage;

  @JsonPropertyDescription("Image of the aggregator pod. Absent: the operator's default.")
  @Size(min = 1, max = 512)
  private String aggregatorImage;

  @JsonPropertyDescription("Resources of every trainer pod (a client may override them), e.g. nvidia.com/gpu.")
  private ResourceRequirementsSpec resources;

  @JsonPropertyDescription("Resources of the aggregator pod.")
  private ResourceRequirementsSpec aggregatorResources;

  @JsonPropertyDescription("Node labels every pod requires (clients may add their own).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints every pod tolerates.")
  @Size(max = 32)
  private List<TolerationSpec> tolerations;

  @JsonPropertyDescription("Node affinity of every pod (a client may replace it).")
  private AffinitySpec affinity;

  @JsonPropertyDescription("PriorityClass of the pods.")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  private String priorityClassName;

  @JsonPropertyDescription("RuntimeClass of the pods, e.g. nvidia.")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  private String runtimeClassName;

  @JsonPropertyDescription(
      "Remove the pods and keep the progress; setting it back to false resumes from the last committed "
      + "round.")
  @Default("false")
  private Boolean suspend = false;

  public TaskType getTask() {
    return task;
  }

  public void setTask(TaskType task) {
    this.task = task;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public AdapterSpec getAdapter() {
    return adapter;
  }

  public void setAdapter(AdapterSpec adapter) {
    this.adapter = adapter;
  }

  public Integer getRounds() {
    return rounds;
  }

  public void setRounds(Integer rounds) {
    this.rounds = rounds;
  }

  public Integer getClientsPerRound() {
    return clientsPerRound;
  }

  public void setClientsPerRound(Integer clientsPerRound) {
    this.clientsPerRound = clientsPerRound;
  }

  public Double getClientFraction() {
    return clientFraction;
  }

  public void setClientFraction(Double clientFraction) {
    this.clientFraction = clientFraction;
  }

  public Integer getMinClients() {
    return minClients;
  }

  public void setMinClients(Integer minClients) {
    this.minClients = minClients;
  }

  public String getRoundDeadline() {
    return roundDeadline;
  }

  public void setRoundDeadline(String roundDeadline) {
    this.roundDeadline = roundDeadline;
  }

  public StartPolicySpec getStartPolicy() {
    return startPolicy;
  }

  public void setStartPolicy(StartPolicySpec startPolicy) {
    this.startPolicy = startPolicy;
  }

  public TrainingSpec getTraining() {
    return training;
  }

  public void setTraining(TrainingSpec training) {
    this.training = training;
  }

  public ServerStrategySpec getServerStrategy() {
    return serverStrategy;
  }

  public void setServerStrategy(ServerStrategySpec serverStrategy) {
    this.serverStrategy = serverStrategy;
  }

  public ClientStrategiesSpec getClientStrategies() {
    return clientStrategies;
  }

  public void setClientStrategies(ClientStrategiesSpec clientStrategies) {
    this.clientStrategies = clientStrategies;
  }

  public DataSourceSpec getEvalData() {
    return evalData;
  }

  public void setEvalData(DataSourceSpec evalData) {
    this.evalData = evalData;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public String getTrainerImage() {
    return trainerImage;
  }

  public void setTrainerImage(String trainerImage) {
    this.trainerImage = trainerImage;
  }

  public String getAggregatorImage() {
    return aggregatorImage;
  }

  public void setAggregatorImage(String aggregatorImage) {
    this.aggregatorImage = aggregatorImage;
  }

  public ResourceRequirementsSpec getResources() {
    return resources;
  }

  public void setResources(ResourceRequirementsSpec resources) {
    this.resources = resources;
  }

  public ResourceRequirementsSpec getAggregatorResources() {
    return aggregatorResources;
  }

  public void setAggregatorResources(ResourceRequirementsSpec aggregatorResources) {
    this.aggregatorResources = aggregatorResources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<TolerationSpec> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<TolerationSpec> tolerations) {
    this.tolerations = tolerations;
  }

  public AffinitySpec getAffinity() {
    return affinity;
  }

  public void setAffinity(AffinitySpec affinity) {
    this.affinity = affinity;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public String getRuntimeClassName() {
    return runtimeClassName;
  }

  public void setRuntimeClassName(String runtimeClassName) {
    this.runtimeClassName = runtimeClassName;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
