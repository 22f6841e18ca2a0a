package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.AdapterSpec;
import io.fedmllm.api.v1alpha1.AdapterTransferDtype;
import io.fedmllm.api.v1alpha1.BaseDtype;
import io.fedmllm.api.v1alpha1.CelRules;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ClientStrategiesSpec;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.NodeSelectorOperator;
import io.fedmllm.api.v1alpha1.NodeSelectorRequirementSpec;
import io.fedmllm.api.v1alpha1.ResourceListSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import io.fedmllm.api.v1alpha1.ServerStrategyName;
import io.fedmllm.api.v1alpha1.ServerStrategySpec;
import io.fedmllm.api.v1alpha1.StartPolicySpec;
import io.fedmllm.api.v1alpha1.SyntheticDataSpec;
import io.fedmllm.api.v1alpha1.TaintEffect;
import io.fedmllm.api.v1alpha1.TolerationOperator;
import io.fedmllm.api.v1alpha1.TolerationSpec;
import io.fedmllm.api.v1alpha1.TrainingSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Java twin of every CEL rule in {@link CelRules}, keyed by the CEL text, so the schema and the local runner
 * cannot disagree about which rules exist (a test checks that every {@code @ValidationRule} has its twin). "has" in
 * CEL is "not null" here: defaults are already applied to both.
 */
final class CrossFieldRules {

  private record Rule<T>(Class<T> type, Predicate<T> holds) {
    boolean test(Object node) {
      return holds.test(type.cast(node));
    }
  }

  private static final Map<String, Rule<?>> RULES = new HashMap<>();

  static {
    rule(CelRules.SAMPLING_ONE_OF, FederationSpec.class,
        s -> s.getClientsPerRound() == null || s.getClientFraction() == null);
    rule(CelRules.MIN_CLIENTS_WITHIN_ROUND, FederationSpec.class,
        s -> s.getClientsPerRound() == null || s.getMinClients() == null
            || s.getMinClients() <= s.getClientsPerRound());
    rule(CelRules.DEADLINE_POSITIVE, FederationSpec.class,
        s -> s.getRoundDeadline() == null || !Durations.isWellFormed(s.getRoundDeadline())
            || !Durations.isZero(s.getRoundDeadline()));
    rule(CelRules.START_WITHIN_QUORUM, FederationSpec.class,
        s -> s.getStartPolicy() == null || s.getStartPolicy().getMinClients() == null || s.getMinClients() == null
            || s.getStartPolicy().getMinClients() >= s.getMinClients());
    rule(CelRules.START_TIMEOUT_POSITIVE, StartPolicySpec.class,
        p -> p.getTimeout() == null || !Durations.isWellFormed(p.getTimeout()) || !Durations.isZero(p.getTimeout()));
    rule(CelRules.EVAL_NOT_PARTITIONED, FederationSpec.class,
        s -> s.getEvalData() == null || s.getEvalData().getSynthetic() == null
            || isUnpartitioned(s.getEvalData().getSynthetic()));

    rule(CelRules.HALF_TRANSFER_NOT_SCAFFOLD, FederationSpec.class,
        s -> s.getAdapter() == null || s.getAdapter().getTransferDtype() != AdapterTransferDtype.FLOAT16
            || s.getServerStrategy() == null || s.getServerStrategy().getName() != ServerStrategyName.SCAFFOLD);

    rule(CelRules.MODEL_ONE_OF, ModelSpec.class,
        m -> Stream.of(m.getPreset(), m.getBaseWeights(), m.getCheckpoint()).filter(Objects::nonNull).count() == 1);
    rule(CelRules.MODEL_CONFIG_WITH_WEIGHTS, ModelSpec.class,
        m -> (m.getBaseWeights() != null) == (m.getConfig() != null));
    rule(CelRules.HALF_BASE_NEEDS_CHECKPOINT, ModelSpec.class,
        m -> m.getBaseDtype() != BaseDtype.FLOAT16 || m.getCheckpoint() != null);

    rule(CelRules.TARGETS_UNIQUE, AdapterSpec.class,
        a -> a.getTargetModules() == null || new HashSet<>(a.getTargetModules()).size() == a.getTargetModules().size());

    rule(CelRules.EPOCHS_OR_STEPS, TrainingSpec.class, t -> t.getLocalEpochs() == null || t.getLocalSteps() == null);

    rule(CelRules.FEDAVG_PARAMETERS, ServerStrategySpec.class,
        s -> s.getName() != ServerStrategyName.FEDAVG || none(s.getEta(), s.getTau(), s.getBeta1(), s.getBeta2()));
    rule(CelRules.FEDAVGM_PARAMETERS, ServerStrategySpec.class,
        s -> s.getName() != ServerStrategyName.FEDAVGM || none(s.getEta(), s.getTau(), s.getBeta2()));
    rule(CelRules.FEDADAGRAD_PARAMETERS, ServerStrategySpec.class,
        s -> s.getName() != ServerStrategyName.FEDADAGRAD || none(s.getBeta1(), s.getBeta2()));
    rule(CelRules.SCAFFOLD_PARAMETERS, ServerStrategySpec.class,
        s -> s.getName() != ServerStrategyName.SCAFFOLD || none(s.getTau(), s.getBeta1(), s.getBeta2()));

    rule(CelRules.PROXIMAL_ONE_OF, ClientStrategiesSpec.class,
        c -> c.getFedProx() == null || c.getMiddleLayerRegularizer() == null);

    rule(CelRules.SYNTHETIC_MATCHES_FORMAT, DataSourceSpec.class,
        d -> d.getFormat() == null || (d.getFormat() == DataFormat.SYNTHETIC) == (d.getSynthetic() != null));
    rule(CelRules.FILES_ONE_OF, DataSourceSpec.class,
        d -> d.getFormat() == null || d.getFormat() == DataFormat.SYNTHETIC
            || (d.getPath() != null) != (d.getS3() != null));
    rule(CelRules.SYNTHETIC_READS_NO_FILES, DataSourceSpec.class,
        d -> d.getFormat() != DataFormat.SYNTHETIC || none(d.getPath(), d.getS3(), d.getVolume()));
    rule(CelRules.VOLUME_NEEDS_PATH, DataSourceSpec.class, d -> d.getVolume() == null || d.getPath() != null);

    rule(CelRules.CHECKPOINT_ONE_OF, CheckpointSourceSpec.class, c -> (c.getPath() != null) != (c.getS3() != null));
    rule(CelRules.CHECKPOINT_VOLUME_NEEDS_PATH, CheckpointSourceSpec.class,
        c -> c.getVolume() == null || c.getS3() == null);

    rule(CelRules.VOLUME_ONE_OF, VolumeSpec.class,
        v -> (v.getPersistentVolumeClaim() != null) != (v.getHostPath() != null));

    rule(CelRules.PARTITION_ALL_OR_NONE, SyntheticDataSpec.class,
        s -> (s.getScenario() != null) == (s.getClients() != null) && (s.getClients() != null) == (s.getIndex() != null));
    rule(CelRules.PARTITION_INDEX_IN_RANGE, SyntheticDataSpec.class,
        s -> s.getIndex() == null || s.getClients() == null || s.getIndex() < s.getClients());

    rule(CelRules.GPU_NOT_OVERCOMMITTED, ResourceRequirementsSpec.class, CrossFieldRules::gpuNotOvercommitted);

    rule(CelRules.EXISTS_TAKES_NO_VALUE, TolerationSpec.class,
        t -> t.getOperator() != TolerationOperator.EXISTS || t.getValue() == null);
    rule(CelRules.EMPTY_KEY_NEEDS_EXISTS, TolerationSpec.class,
        t -> t.getKey() != null || t.getOperator() == TolerationOperator.EXISTS);
    rule(CelRules.SECONDS_ONLY_NO_EXECUTE, TolerationSpec.class,
        t -> t.getTolerationSeconds() == null || t.getEffect() == TaintEffect.NO_EXECUTE);

    rule(CelRules.SET_OPERATORS_NEED_VALUES, NodeSelectorRequirementSpec.class,
        r -> !(r.getOperator() == NodeSelectorOperator.IN || r.getOperator() == NodeSelectorOperator.NOT_IN)
            || (r.getValues() != null && !r.getValues().isEmpty()));
    rule(CelRules.EXISTS_OPERATORS_TAKE_NO_VALUES, NodeSelectorRequirementSpec.class,
        r -> !(r.getOperator() == NodeSelectorOperator.EXISTS || r.getOperator() == NodeSelectorOperator.DOES_NOT_EXIST)
            || r.getValues() == null || r.getValues().isEmpty());
    rule(CelRules.COMPARISON_TAKES_ONE_VALUE, NodeSelectorRequirementSpec.class,
        r -> !(r.getOperator() == NodeSelectorOperator.GT || r.getOperator() == NodeSelectorOperator.LT)
            || (r.getValues() != null && r.getValues().size() == 1));
  }

  private CrossFieldRules() {}

  private static <T> void rule(String cel, Class<T> type, Predicate<T> holds) {
    if (RULES.put(cel, new Rule<>(type, holds)) != null) {
      throw new IllegalStateException("CEL rule registered twice: " + cel);
    }
  }

  /** Whether the rule with CEL text {@code cel} holds for {@code node}. */
  static boolean holds(String cel, Object node) {
    Rule<?> rule = RULES.get(cel);
    if (rule == null) {
      throw new IllegalStateException("no Java twin for CEL rule on " + node.getClass().getSimpleName() + ": " + cel);
    }
    return rule.test(node);
  }

  /** The CEL text of every rule with a Java twin, by the class it applies to. */
  static Map<String, Class<?>> registered() {
    Map<String, Class<?>> result = new HashMap<>();
    RULES.forEach((cel, rule) -> result.put(cel, rule.type()));
    return result;
  }

  private static boolean none(Object... values) {
    return Arrays.stream(values).noneMatch(Objects::nonNull);
  }

  private static boolean isUnpartitioned(SyntheticDataSpec s) {
    return none(s.getScenario(), s.getClients(), s.getIndex());
  }

  private static boolean gpuNotOvercommitted(ResourceRequirementsSpec r) {
    Integer requested = gpus(r.getRequests());
    return requested == null || requested.equals(gpus(r.getLimits()));
  }

  private static Integer gpus(ResourceListSpec list) {
    return list == null ? null : list.getNvidiaGpu();
  }
}
