package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import io.fedmllm.api.v1alpha1.CelRules;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.SyntheticDataSpec;
import io.fedmllm.api.v1alpha1.TaskType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every rule a Federation and its FederationClients must satisfy, in one place, for {@code fedmllm local} (which has
 * no API server) and for the operator (defence in depth behind the CRD schema):
 *
 * <ul>
 *   <li>{@link #validate(FederationSpec)} / {@link #validate(FederationClientSpec)}: the schema's field constraints,
 *       read from the same annotations the CRD is generated from, and the Java twin of each CEL rule;
 *   <li>{@link #validateMembers}: rules across resources that no schema can express (references, duplicate names,
 *       quorum against the number of clients, data formats against the task, shared synthetic partitions).
 * </ul>
 *
 * <p>{@link #validateName} is the Java twin of the rule on {@code metadata.name} of both kinds.
 *
 * <p>Paths start at {@code spec} (e.g. {@code spec.training.localSteps}); each list is in a stable order, and the
 * first entry is the one to report when only one is shown.
 */
public final class SpecValidator {

  /** A FederationClient as seen by the membership checks. */
  public record Member(String name, String namespace, FederationClientSpec spec) {}

  private static final Pattern NAME = Pattern.compile(ApiPatterns.RESOURCE_NAME);

  private SpecValidator() {}

  /**
   * The Java twin of {@link CelRules#NAME_IS_DNS_1035_LABEL}, the rule the CRDs put on {@code metadata.name} of a
   * Federation and a FederationClient: a violation at {@code metadata.name} with the rule's message, or none.
   */
  public static List<Violation> validateName(String name) {
    if (name == null || name.isEmpty()) {
      return List.of(Violation.of("metadata.name", "required field is missing"));
    }
    return NAME.matcher(name).matches() ? List.of()
        : List.of(Violation.of("metadata.name", CelRules.NAME_IS_DNS_1035_LABEL_MESSAGE));
  }

  public static List<Violation> validate(FederationSpec spec) {
    List<Violation> out = new ArrayList<>();
    FieldConstraints.check(Objects.requireNonNull(spec, "spec"), "spec", out);
    return out;
  }

  public static List<Violation> validate(FederationClientSpec spec) {
    List<Violation> out = new ArrayList<>();
    FieldConstraints.check(Objects.requireNonNull(spec, "spec"), "spec", out);
    return out;
  }

  /**
   * Rules between a (field-valid) Federation and the clients meant to belong to it. A violation's
   * {@link Violation#resource()} is the index of the client it is about, or {@link Violation#SPEC} for the
   * Federation.
   *
   * @param requireClients whether an empty client list is an error (a manifest for {@code fedmllm local}) or just a
   *     federation still waiting for its clients (the operator)
   */
  public static List<Violation> validateMembers(String federationName, String federationNamespace,
      FederationSpec federation, List<Member> clients, boolean requireClients) {
    List<Violation> out = new ArrayList<>();
    if (requireClients && clients.isEmpty()) {
      out.add(Violation.of("spec", "Federation '" + federationName + "' has no FederationClient"));
    }
    Map<String, Integer> names = new HashMap<>();
    Map<Integer, String> partitionIndexes = new HashMap<>();
    Member partitionOwner = null;
    for (int i = 0; i < clients.size(); i++) {
      final int index = i;
      Member client = clients.get(i);
      Integer previous = names.putIfAbsent(client.name(), i);
      if (previous != null) {
        out.add(Violation.ofClient(i, "metadata.name",
            "duplicate FederationClient name '" + client.name() + "'"));
      }
      if (!Objects.equals(namespaceOf(client.namespace()), namespaceOf(federationNamespace))) {
        out.add(Violation.ofClient(i, "metadata.namespace", "FederationClient is in namespace '"
            + namespaceOf(client.namespace()) + "' but Federation '" + federationName + "' is in '"
            + namespaceOf(federationNamespace) + "'"));
      }
      String ref = client.spec().getFederationRef().getName();
      if (!ref.equals(federationName)) {
        out.add(Violation.ofClient(i, "spec.federationRef.name",
            "refers to Federation '" + ref + "', but the Federation here is '" + federationName + "'"));
      }
      taskMismatch(client.spec().getData(), federation.getTask())
          .ifPresent(m -> out.add(Violation.ofClient(index, "spec.data", m)));
      SyntheticDataSpec synthetic = client.spec().getData().getSynthetic();
      if (synthetic != null && synthetic.getScenario() != null) {
        if (partitionOwner == null) {
          partitionOwner = client;
        } else if (!samePartition(partitionOwner.spec().getData().getSynthetic(), synthetic)) {
          out.add(Violation.ofClient(i, "spec.data.synthetic", "generator, scenario and clients must be the same"
              + " for every client of a synthetic partition; client '" + partitionOwner.name() + "' has "
              + describe(partitionOwner.spec().getData().getSynthetic())));
        }
        String owner = partitionIndexes.putIfAbsent(synthetic.getIndex(), client.name());
        if (owner != null) {
          out.add(Violation.ofClient(i, "spec.data.synthetic.index",
              "part " + synthetic.getIndex() + " is already used by client '" + owner + "'"));
        }
      }
    }
    int minClients = federation.getMinClients();
    if (requireClients && !clients.isEmpty() && minClients > clients.size()) {
      out.add(Violation.of("spec.minClients",
          "the quorum is " + minClients + " but only " + clients.size() + " FederationClients exist"));
    }
    Integer startMin = federation.getStartPolicy() == null ? null : federation.getStartPolicy().getMinClients();
    if (requireClients && !clients.isEmpty() && startMin != null && startMin > clients.size()) {
      out.add(Violation.of("spec.startPolicy.minClients",
          "round 0 would wait for " + startMin + " clients but only " + clients.size() + " FederationClients exist"));
    }
    taskMismatch(federation.getEvalData(), federation.getTask())
        .ifPresent(m -> out.add(Violation.of("spec.evalData", m)));
    return out;
  }

  /** The data format's own task when it differs from the federation's. */
  private static Optional<String> taskMismatch(DataSourceSpec data, TaskType task) {
    TaskType holds = switch (data.getFormat()) {
      case HATEFUL_MEMES -> TaskType.HATEFUL;
      case CRISISMMD -> TaskType.CRISIS;
      case SYNTHETIC -> generatorTask(data.getSynthetic().getGenerator());
      case LLAVA, JSONL -> task;
    };
    if (holds == task) {
      return Optional.empty();
    }
    String source = data.getFormat() == DataFormat.SYNTHETIC
        ? "synthetic generator '" + data.getSynthetic().getGenerator() + "'"
        : "format " + name(data.getFormat());
    return Optional.of(source + " holds task " + name(holds) + ", but the Federation's task is "
        + name(task));
  }

  private static TaskType generatorTask(String generator) {
    return TaskType.valueOf(generator.split(",", 2)[0].toUpperCase(Locale.ROOT));
  }

  private static boolean samePartition(SyntheticDataSpec a, SyntheticDataSpec b) {
    return a.getGenerator().equals(b.getGenerator()) && a.getScenario().equals(b.getScenario())
        && a.getClients().equals(b.getClients());
  }

  private static String describe(SyntheticDataSpec s) {
    return "generator " + s.getGenerator() + ", scenario " + s.getScenario() + ", clients " + s.getClients();
  }

  private static String namespaceOf(String namespace) {
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
