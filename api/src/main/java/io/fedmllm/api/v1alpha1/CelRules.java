package io.fedmllm.api.v1alpha1;

/**
 * The cross-field rules of the API: each CEL expression goes into the generated CRD through {@code @ValidationRule}
 * on its class, and {@code io.fedmllm.api.validation.SpecValidator} holds the same rule in Java, keyed by the
 * expression text, so a local run and the API server reject the same manifests with the same message. Fields are
 * addressed the way Kubernetes' CEL escapes them ({@code nvidia.com/gpu} is {@code nvidia__dot__com__slash__gpu}).
 */
public final class CelRules {

  private CelRules() {}

  // Federation and FederationClient, on the resource itself (CEL may read metadata.name there). Its Java twin is
  // SpecValidator.validateName, which ManifestReader runs on every document.
  public static final String NAME_IS_DNS_1035_LABEL =
      "self.metadata.name.matches('" + ApiPatterns.RESOURCE_NAME + "')";
  public static final String NAME_IS_DNS_1035_LABEL_MESSAGE = "must be a DNS-1035 label (at most 63 lower-case"
      + " letters, digits and '-', starting with a letter and ending with a letter or digit): the operator names the"
      + " objects it creates, such as pods and Services, after it";

  // FederationSpec
  public static final String SAMPLING_ONE_OF = "!has(self.clientsPerRound) || !has(self.clientFraction)";
  public static final String SAMPLING_ONE_OF_MESSAGE =
      "set at most one of clientsPerRound and clientFraction (neither samples every client in every round)";
  public static final String MIN_CLIENTS_WITHIN_ROUND =
      "!has(self.clientsPerRound) || !has(self.minClients) || self.minClients <= self.clientsPerRound";
  public static final String MIN_CLIENTS_WITHIN_ROUND_MESSAGE = "minClients must not exceed clientsPerRound";
  /**
   * Skips a roundDeadline that does not match {@link ApiPatterns#DURATION}: its pattern rule reports it, and
   * duration() on it would add a second, confusing type conversion error.
   */
  public static final String DEADLINE_POSITIVE = "!has(self.roundDeadline)"
      + " || !self.roundDeadline.matches('" + ApiPatterns.DURATION + "')"
      + " || duration(self.roundDeadline) > duration('0s')";
  public static final String DEADLINE_POSITIVE_MESSAGE = "roundDeadline must be longer than 0s";
  public static final String START_WITHIN_QUORUM = "!has(self.startPolicy) || !has(self.startPolicy.minClients)"
      + " || !has(self.minClients) || self.startPolicy.minClients >= self.minClients";
  public static final String START_WITHIN_QUORUM_MESSAGE =
      "startPolicy.minClients must be at least minClients: a round needs the quorum anyway";
  public static final String EVAL_NOT_PARTITIONED =
      "!has(self.evalData) || !has(self.evalData.synthetic) || !(has(self.evalData.synthetic.scenario)"
          + " || has(self.evalData.synthetic.clients) || has(self.evalData.synthetic.index))";
  public static final String EVAL_NOT_PARTITIONED_MESSAGE =
      "evalData.synthetic must not set scenario, clients or index: the evaluation split is not partitioned";
  public static final String HALF_TRANSFER_NOT_SCAFFOLD =
      "!has(self.adapter) || !has(self.adapter.transferDtype) || self.adapter.transferDtype != 'float16'"
          + " || !has(self.serverStrategy) || self.serverStrategy.name != 'scaffold'";
  public static final String HALF_TRANSFER_NOT_SCAFFOLD_MESSAGE =
      "adapter.transferDtype float16 is not supported with scaffold: a restarted trainer rebuilds its control variate"
          + " from its committed weights, which float16 rounds";

  // StartPolicySpec
  public static final String START_TIMEOUT_POSITIVE = "!has(self.timeout)"
      + " || !self.timeout.matches('" + ApiPatterns.DURATION + "')"
      + " || duration(self.timeout) > duration('0s')";
  public static final String START_TIMEOUT_POSITIVE_MESSAGE = "timeout must be longer than 0s";

  // ModelSpec
  public static final String MODEL_ONE_OF =
      "(has(self.preset) ? 1 : 0) + (has(self.baseWeights) ? 1 : 0) + (has(self.checkpoint) ? 1 : 0) == 1";
  public static final String MODEL_ONE_OF_MESSAGE = "set exactly one of preset, baseWeights and checkpoint";
  public static final String MODEL_CONFIG_WITH_WEIGHTS = "has(self.baseWeights) == has(self.config)";
  public static final String MODEL_CONFIG_WITH_WEIGHTS_MESSAGE =
      "config is required with baseWeights and only allowed with it";

  public static final String HALF_BASE_NEEDS_CHECKPOINT =
      "!has(self.baseDtype) || self.baseDtype != 'float16' || has(self.checkpoint)";
  public static final String HALF_BASE_NEEDS_CHECKPOINT_MESSAGE =
      "baseDtype float16 needs a checkpoint: the built-in bases always train in float32";

  // AdapterSpec
  public static final String TARGETS_UNIQUE =
      "!has(self.targetModules) || self.targetModules.all(m, self.targetModules.exists_one(n, n == m))";
  public static final String TARGETS_UNIQUE_MESSAGE = "targetModules must not list a module twice";

  // TrainingSpec
  public static final String EPOCHS_OR_STEPS = "!has(self.localEpochs) || !has(self.localSteps)";
  public static final String EPOCHS_OR_STEPS_MESSAGE =
      "set at most one of localEpochs and localSteps (neither means one local epoch, the paper's recipe)";

  // ServerStrategySpec
  public static final String FEDAVG_PARAMETERS =
      "self.name != 'fedavg' || !(has(self.eta) || has(self.tau) || has(self.beta1) || has(self.beta2))";
  public static final String FEDAVG_PARAMETERS_MESSAGE = "fedavg takes no parameters";
  public static final String FEDAVGM_PARAMETERS =
      "self.name != 'fedavgm' || !(has(self.eta) || has(self.tau) || has(self.beta2))";
  public static final String FEDAVGM_PARAMETERS_MESSAGE = "fedavgm takes only beta1";
  public static final String FEDADAGRAD_PARAMETERS = "self.name != 'fedadagrad' || !(has(self.beta1) || has(self.beta2))";
  public static final String FEDADAGRAD_PARAMETERS_MESSAGE = "fedadagrad takes only eta and tau";
  public static final String SCAFFOLD_PARAMETERS =
      "self.name != 'scaffold' || !(has(self.tau) || has(self.beta1) || has(self.beta2))";
  public static final String SCAFFOLD_PARAMETERS_MESSAGE = "scaffold takes only eta";

  // ClientStrategiesSpec
  public static final String PROXIMAL_ONE_OF = "!has(self.fedProx) || !has(self.middleLayerRegularizer)";
  public static final String PROXIMAL_ONE_OF_MESSAGE =
      "set at most one of fedProx and middleLayerRegularizer (the regulariser with s: 0 and muW: 1 is FedProx)";

  // DataSourceSpec
  public static final String SYNTHETIC_MATCHES_FORMAT = "(self.format == 'synthetic') == has(self.synthetic)";
  public static final String SYNTHETIC_MATCHES_FORMAT_MESSAGE =
      "synthetic is required with format synthetic and only allowed with it";
  public static final String FILES_ONE_OF = "self.format == 'synthetic' || has(self.path) != has(self.s3)";
  public static final String FILES_ONE_OF_MESSAGE = "set exactly one of path and s3";
  public static final String SYNTHETIC_READS_NO_FILES =
      "self.format != 'synthetic' || !(has(self.path) || has(self.s3) || has(self.volume))";
  public static final String SYNTHETIC_READS_NO_FILES_MESSAGE =
      "format synthetic reads no files: remove path, s3 and volume";
  public static final String VOLUME_NEEDS_PATH = "!has(self.volume) || has(self.path)";
  public static final String VOLUME_NEEDS_PATH_MESSAGE = "volume is only used together with path";

  // CheckpointSourceSpec
  public static final String CHECKPOINT_ONE_OF = "has(self.path) != has(self.s3)";
  public static final String CHECKPOINT_ONE_OF_MESSAGE = "set exactly one of path and s3";
  /** Reported at {@code .volume}; with {@link #CHECKPOINT_ONE_OF} holding, "not s3" is "with path". */
  public static final String CHECKPOINT_VOLUME_NEEDS_PATH = "!has(self.volume) || !has(self.s3)";
  public static final String CHECKPOINT_VOLUME_NEEDS_PATH_MESSAGE =
      "volume is only used together with path (an s3 checkpoint is fetched into the cache)";

  // VolumeSpec
  public static final String VOLUME_ONE_OF = "has(self.persistentVolumeClaim) != has(self.hostPath)";
  public static final String VOLUME_ONE_OF_MESSAGE = "set exactly one of persistentVolumeClaim and hostPath";

  // SyntheticDataSpec
  public static final String PARTITION_ALL_OR_NONE =
      "has(self.scenario) == has(self.clients) && has(self.clients) == has(self.index)";
  public static final String PARTITION_ALL_OR_NONE_MESSAGE = "scenario, clients and index go together";
  public static final String PARTITION_INDEX_IN_RANGE = "!has(self.index) || !has(self.clients) || self.index < self.clients";
  public static final String PARTITION_INDEX_IN_RANGE_MESSAGE = "index must be below clients";

  // ResourceRequirementsSpec
  public static final String GPU_NOT_OVERCOMMITTED =
      "!has(self.requests) || !has(self.requests.nvidia__dot__com__slash__gpu) || (has(self.limits)"
          + " && has(self.limits.nvidia__dot__com__slash__gpu)"
          + " && self.limits.nvidia__dot__com__slash__gpu == self.requests.nvidia__dot__com__slash__gpu)";
  public static final String GPU_NOT_OVERCOMMITTED_MESSAGE =
      "nvidia.com/gpu cannot be overcommitted: set it in limits, and in requests only with the same value";

  // TolerationSpec
  public static final String EXISTS_TAKES_NO_VALUE =
      "!has(self.operator) || self.operator != 'Exists' || !has(self.value)";
  public static final String EXISTS_TAKES_NO_VALUE_MESSAGE = "operator Exists takes no value";
  public static final String EMPTY_KEY_NEEDS_EXISTS = "has(self.key) || (has(self.operator) && self.operator == 'Exists')";
  public static final String EMPTY_KEY_NEEDS_EXISTS_MESSAGE =
      "a toleration without key must use operator Exists (it then tolerates every taint)";
  public static final String SECONDS_ONLY_NO_EXECUTE =
      "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')";
  public static final String SECONDS_ONLY_NO_EXECUTE_MESSAGE = "tolerationSeconds applies only to effect NoExecute";

  // NodeSelectorRequirementSpec
  public static final String SET_OPERATORS_NEED_VALUES =
      "!(self.operator == 'In' || self.operator == 'NotIn') || (has(self.values) && size(self.values) > 0)";
  public static final String SET_OPERATORS_NEED_VALUES_MESSAGE = "operators In and NotIn need at least one value";
  public static final String EXISTS_OPERATORS_TAKE_NO_VALUES =
      "!(self.operator == 'Exists' || self.operator == 'DoesNotExist') || !has(self.values) || size(self.values) == 0";
  public static final String EXISTS_OPERATORS_TAKE_NO_VALUES_MESSAGE = "operators Exists and DoesNotExist take no values";
  /**
   * Gt and Lt take one value. (Whether it is an integer is left to the API server's pod validation: a regex over
   * list items nested in affinity terms exceeds the CRD's CEL cost budget on a real API server.)
   */
  public static final String COMPARISON_TAKES_ONE_VALUE =
      "!(self.operator == 'Gt' || self.operator == 'Lt') || (has(self.values) && size(self.values) == 1)";
  public static final String COMPARISON_TAKES_ONE_VALUE_MESSAGE = "operators Gt and Lt take exactly one value";
}
