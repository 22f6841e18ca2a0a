package io.fedmllm.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import io.fedmllm.api.v1alpha1.CelRules;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationReference;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.ModelPreset;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.SyntheticDataSpec;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator as the operator uses it: on objects built in Java, without a manifest file. */
class SpecValidatorTest {

  static FederationSpec federation() {
    FederationSpec spec = new FederationSpec();
    spec.setTask(TaskType.HATEFUL);
    ModelSpec model = new ModelSpec();
    model.setPreset(ModelPreset.TINY);
    spec.setModel(model);
    spec.setEvalData(synthetic("hateful,count=50"));
    return spec;
  }

  static DataSourceSpec synthetic(String generator) {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.SYNTHETIC);
    SyntheticDataSpec synthetic = new SyntheticDataSpec();
    synthetic.setGenerator(generator);
    data.setSynthetic(synthetic);
    return data;
  }

  static FederationClientSpec client(String federation) {
    FederationClientSpec spec = new FederationClientSpec();
    FederationReference ref = new FederationReference();
    ref.setName(federation);
    spec.setFederationRef(ref);
    spec.setData(synthetic("hateful,count=100"));
    return spec;
  }

  @Test
  void aMinimalFederationIsValid() {
    assertEquals(List.of(), SpecValidator.validate(federation()));
    assertEquals(List.of(), SpecValidator.validate(client("demo")));
  }

  @Test
  void reportsEveryViolationInOrder() {
    FederationSpec spec = federation();
    spec.setModel(new ModelSpec());
    spec.setRounds(0);
    spec.getTraining().setLocalEpochs(1);
    spec.getTraining().setLocalSteps(5);
    List<String> found = SpecValidator.validate(spec).stream().map(Violation::toString).toList();
    assertEquals(List.of(
        "spec.model: set exactly one of preset, baseWeights and checkpoint",
        "spec.rounds: must be >= 1, got 0",
        "spec.training: set at most one of localEpochs and localSteps (neither means one local epoch, the paper's"
            + " recipe)"), found);
  }

  @Test
  void aCheckpointIsTheOnlyModelSourceAndNamesEachBadField() {
    FederationSpec spec = federation();
    spec.getModel().setPreset(null);
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setPath("SmolVLM-256M-Instruct");
    VolumeSpec claim = new VolumeSpec();
    claim.setPersistentVolumeClaim("smolvlm-256m");
    checkpoint.setVolume(claim);
    checkpoint.setName("HuggingFaceTB/SmolVLM-256M-Instruct");
    spec.getModel().setCheckpoint(checkpoint);
    assertEquals(List.of(), SpecValidator.validate(spec));

    spec.getModel().setPreset(ModelPreset.TINY);
    assertEquals(List.of("spec.model: set exactly one of preset, baseWeights and checkpoint"), messages(spec));
    spec.getModel().setPreset(null);

    checkpoint.setS3("s3://models/SmolVLM-256M-Instruct/");
    assertEquals(List.of("spec.model.checkpoint: set exactly one of path and s3",
        "spec.model.checkpoint.volume: volume is only used together with path (an s3 checkpoint is fetched into the"
            + " cache)"), messages(spec));
    checkpoint.setPath(null);
    checkpoint.setVolume(null);
    assertEquals(List.of(), SpecValidator.validate(spec));

    checkpoint.setS3("https://models/SmolVLM");
    checkpoint.setName("SmolVLM 256M");
    assertEquals(List.of("spec.model.checkpoint.s3: 'https://models/SmolVLM' is not an s3://bucket/key URI",
        "spec.model.checkpoint.name: 'SmolVLM 256M' is not a model name such as HuggingFaceTB/SmolVLM-256M-Instruct"
            + " (letters, digits, '.', '_', '-' and '/')"), messages(spec));

    checkpoint.setS3(null);
    checkpoint.setName(null);
    checkpoint.setPath("");
    assertEquals(List.of("spec.model.checkpoint.path: must have at least 1 characters, got 0"), messages(spec));
  }

  private static List<String> messages(FederationSpec spec) {
    return SpecValidator.validate(spec).stream().map(Violation::toString).toList();
  }

  @Test
  void numbersMustBeFiniteDurationsAtMostAYearAndGeneratorParametersInRange() {
    FederationSpec spec = federation();
    spec.getTraining().setLearningRate(Double.NaN);
    spec.setRoundDeadline("99999999999999999h");
    List<String> found = SpecValidator.validate(spec).stream().map(Violation::toString).toList();
    assertEquals(List.of(
        "spec.roundDeadline: duration '99999999999999999h' is longer than 8760h (a year)",
        "spec.training.learningRate: must be a finite number, got NaN"), found);

    spec = federation();
    spec.setRoundDeadline("8761h");
    assertEquals("spec.roundDeadline: duration '8761h' is longer than 8760h (a year)",
        SpecValidator.validate(spec).get(0).toString());
    spec.setRoundDeadline("8760h");
    assertEquals(List.of(), SpecValidator.validate(spec));

    FederationClientSpec client = client("demo");
    client.setData(synthetic("crisis,size=4,count=10"));
    assertEquals("spec.data.synthetic.generator: size=4 is out of range, expected 8 to 1024",
        SpecValidator.validate(client).get(0).toString());
  }

  @Test
  void halfPrecisionTransferIsRefusedWithScaffoldOnly() {
    FederationSpec spec = federation();
    spec.getAdapter().setTransferDtype(io.fedmllm.api.v1alpha1.AdapterTransferDtype.FLOAT16);
    assertEquals(List.of(), messages(spec));
    spec.getServerStrategy().setName(io.fedmllm.api.v1alpha1.ServerStrategyName.SCAFFOLD);
    List<String> found = messages(spec);
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("spec.adapter.transferDtype: adapter.transferDtype float16 is not supported "
        + "with scaffold"), found.get(0));
  }

  @Test
  void membershipWithoutClientsIsFineForTheOperator() {
    assertEquals(List.of(), SpecValidator.validateMembers("demo", null, federation(), List.of(), false));
    List<Violation> local = SpecValidator.validateMembers("demo", null, federation(), List.of(), true);
    assertEquals("spec: Federation 'demo' has no FederationClient", local.get(0).toString());
  }

  @Test
  void membershipPointsAtTheClient() {
    List<SpecValidator.Member> members = List.of(
        new SpecValidator.Member("a", null, client("demo")),
        new SpecValidator.Member("b", "other", client("demo")));
    Violation v = SpecValidator.validateMembers("demo", "default", federation(), members, true).get(0);
    assertEquals(1, v.resource());
    assertEquals("metadata.namespace", v.path());
  }

  @Test
  void syntheticGeneratorTaskMustMatch() {
    FederationSpec spec = federation();
    spec.setEvalData(synthetic("crisis,count=50"));
    Violation v = SpecValidator.validateMembers("demo", null, spec, List.of(), false).get(0);
    assertEquals("spec.evalData: synthetic generator 'crisis,count=50' holds task crisis, but the Federation's task"
        + " is hateful", v.toString());
  }

  @Test
  void parsesGoStyleDurations() {
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 minutes"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1d"));
    assertTrue(Durations.isWellFormed("0s"));
  }

  /** The twin of the CRDs' rule on metadata.name: a DNS-1035 label, so every name the operator derives is valid. */
  @Test
  void namesAreDns1035Labels() {
    for (String good : List.of("a", "demo", "hateful-cpu-0", "a1", "x".repeat(63), "a-" + "b".repeat(61))) {
      assertEquals(List.of(), SpecValidator.validateName(good), good);
    }
    for (String bad : List.of("demo.v2", "1-site", "0", "Demo", "client_1", "demo-", "-demo", "x".repeat(64),
        "a-" + "b".repeat(62))) {
      assertEquals(List.of("metadata.name: " + CelRules.NAME_IS_DNS_1035_LABEL_MESSAGE),
          SpecValidator.validateName(bad).stream().map(Violation::toString).toList(), bad);
    }
    assertEquals("metadata.name: required field is missing", SpecValidator.validateName(null).get(0).toString());
    assertEquals("metadata.name: required field is missing", SpecValidator.validateName("").get(0).toString());
  }

  /** The Java rule and the CEL rule read the same pattern, and the CEL text quotes it unchanged. */
  @Test
  void nameRuleIsTheResourceNamePattern() {
    assertEquals("self.metadata.name.matches('" + ApiPatterns.RESOURCE_NAME + "')", CelRules.NAME_IS_DNS_1035_LABEL);
    assertFalse(ApiPatterns.RESOURCE_NAME.contains("'") || ApiPatterns.RESOURCE_NAME.contains("\\"));
  }

  @Test
  void federationRefNamesAFederationName() {
    List<String> found = SpecValidator.validate(client("demo.v2")).stream().map(Violation::toString).toList();
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("spec.federationRef.name: 'demo.v2' is not a DNS-1035 label"), found.get(0));
  }

  /** Like the CEL rule (guarded by the pattern), DEADLINE_POSITIVE leaves a malformed deadline to the pattern. */
  @Test
  void malformedDeadlineIsReportedOnceByItsPattern() {
    FederationSpec spec = federation();
    spec.setRoundDeadline("10min");
    assertEquals(List.of("spec.roundDeadline: '10min' is not a duration such as 10m, 90s or 1h30m"),
        SpecValidator.validate(spec).stream().map(Violation::toString).toList());
    spec.setRoundDeadline("0s");
    assertEquals(List.of("spec.roundDeadline: " + CelRules.DEADLINE_POSITIVE_MESSAGE),
        SpecValidator.validate(spec).stream().map(Violation::toString).toList());
    assertTrue(CelRules.DEADLINE_POSITIVE.contains("!self.roundDeadline.matches('" + ApiPatterns.DURATION + "')"));
  }

  @Test
  void halfPrecisionBaseWeightsNeedACheckpoint() {
    FederationSpec spec = federation();
    spec.getModel().setBaseDtype(io.fedmllm.api.v1alpha1.BaseDtype.FLOAT16);
    List<String> found = messages(spec);
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("spec.model.baseDtype: baseDtype float16 needs a checkpoint"), found.get(0));
    spec.getModel().setPreset(null);
    io.fedmllm.api.v1alpha1.CheckpointSourceSpec checkpoint = new io.fedmllm.api.v1alpha1.CheckpointSourceSpec();
    checkpoint.setPath("SmolVLM-256M-Instruct");
    spec.getModel().setCheckpoint(checkpoint);
    assertEquals(List.of(), messages(spec));
  }
}
