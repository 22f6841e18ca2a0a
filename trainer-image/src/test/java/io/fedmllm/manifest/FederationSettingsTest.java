package io.fedmllm.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.FedProxSpec;
import io.fedmllm.api.v1alpha1.MiddleLayerRegularizerSpec;
import io.fedmllm.api.v1alpha1.ServerStrategyName;
import io.fedmllm.api.v1alpha1.StartPolicySpec;
import io.fedmllm.api.v1alpha1.TargetModule;
import io.fedmllm.api.v1alpha1.TrainingDevice;
import io.fedmllm.data.Task;
import io.fedmllm.model.LoraConfig;
import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.StartPolicy;
import io.fedmllm.strategy.ServerStrategyConfig;
import io.fedmllm.strategy.client.ClientStrategy;
import io.fedmllm.train.CosineSchedule;
import io.fedmllm.train.DevicePreference;
import io.fedmllm.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FederationSettingsTest {

  static FederationSpec example(String name) throws Exception {
    return new ManifestReader().read(Path.of("../examples/" + name)).federation().spec();
  }

  @Test
  void mapsTheAlignedExample() throws Exception {
    FederationSettings s = FederationSettings.from(example("local-aligned-4clients.yaml"));
    assertEquals(Task.HATEFUL, s.task());
    assertEquals("tiny", s.model());
    assertEquals(Optional.empty(), s.baseWeights());
    assertEquals(LoraConfig.paperDefault(), s.lora());
    assertEquals(6, s.rounds());
    assertEquals(3, s.minClients());
    assertEquals(Duration.ofMinutes(10), s.roundDeadline());
    assertEquals(TrainingConfig.paperDefault(8, 1).withLocalSteps(60), s.training());
    assertEquals(new CosineSchedule(3e-3, 6, 0, 0.1), s.schedule());
    assertEquals(42, s.seed());
    assertEquals(new ServerStrategyConfig.FedAvgConfig(), s.serverStrategy());
    assertEquals("fedavg", s.serverStrategy().create(4).name());
    assertEquals(4, s.sampler(4).perRound());
    assertEquals(ClientStrategy.none(), s.clientStrategy(4));
  }

  @Test
  void mapsTheMissingModalityExample() throws Exception {
    FederationSettings s = FederationSettings.from(example("local-missing-10clients.yaml"));
    assertEquals(3, s.sampler(10).perRound());
    assertEquals(42, s.sampler(10).seed());
    assertEquals(new ServerStrategyConfig.FedAdagradConfig(3e-2, 1e-3), s.serverStrategy());
    assertEquals("eta=0.03,tau=0.001", s.serverStrategy().create(10).parameters());
    // s left out: one seventh of the depth, the paper's 4 of 28 layers
    assertEquals(ClientStrategy.paperStrategies(4), s.clientStrategy(28));
    assertEquals(new ClientStrategy(0.01, 0.1, 0, true), s.clientStrategy(4));
  }

  @Test
  void defaultsFollowThePaperRecipe() {
    FederationSpec spec = minimal();
    FederationSettings s = FederationSettings.from(spec);
    assertEquals(LoraConfig.paperDefault(), s.lora());
    assertEquals(TrainingConfig.paperDefault(8, 1), s.training());
    assertEquals(1, s.training().localEpochs());
    assertEquals(new CosineSchedule(2e-5, 50, 0.01, 0.1), s.schedule());
    assertEquals(1, s.schedule().warmupRounds());
    assertEquals(Duration.ofHours(1), s.roundDeadline());
    assertEquals(7, s.sampler(7).perRound());
    assertEquals(DevicePreference.AUTO, s.device());
  }

  @Test
  void mapsTheDevice() {
    FederationSpec spec = minimal();
    spec.getTraining().setDevice(TrainingDevice.CUDA);
    assertEquals(DevicePreference.CUDA, FederationSettings.from(spec).device());
    spec.getTraining().setDevice(TrainingDevice.CPU);
    assertEquals(DevicePreference.CPU, FederationSettings.from(spec).device());
    assertEquals(DevicePreference.CPU, FederationSettings.device(spec.getTraining()));
    spec.getTraining().setDevice(null);
    assertEquals(DevicePreference.AUTO, FederationSettings.from(spec).device());
    assertEquals(DevicePreference.AUTO, FederationSettings.device(null));
  }

  @Test
  void mapsAdapterSamplingAndStrategies() {
    FederationSpec spec = minimal();
    spec.getAdapter().setR(16);
    spec.getAdapter().setAlpha(32.0);
    spec.getAdapter().setTargetModules(List.of(TargetModule.V_PROJ, TargetModule.Q_PROJ));
    spec.setClientFraction(0.3);
    spec.getTraining().setLocalEpochs(2);
    spec.getServerStrategy().setName(ServerStrategyName.SCAFFOLD);
    FedProxSpec prox = new FedProxSpec();
    prox.setMu(0.05);
    spec.getClientStrategies().setFedProx(prox);
    FederationSettings s = FederationSettings.from(spec);
    assertEquals(new LoraConfig(16, 32.0, 0.05f, List.of("v_proj", "q_proj")), s.lora());
    assertEquals(2, s.training().localEpochs());
    assertEquals(0, s.training().localSteps());
    assertEquals(3, s.sampler(10).perRound());
    assertEquals(1, s.sampler(2).perRound());
    assertEquals(new ServerStrategyConfig.ScaffoldConfig(1.0), s.serverStrategy());
    assertEquals("eta=1.0,numClients=10", s.serverStrategy().create(10).parameters());
    assertEquals(ClientStrategy.fedProx(0.05), s.clientStrategy(4));
  }

  @Test
  void transferDtypeReachesTheFederationConfigurationFloat32ByDefault() {
    FederationSpec spec = minimal();
    assertEquals(io.fedmllm.protocol.TransferDtype.FLOAT32,
        FederationSettings.from(spec).federationConfig(List.of("a"), 4).transferDtype());
    spec.getAdapter().setTransferDtype(io.fedmllm.api.v1alpha1.AdapterTransferDtype.FLOAT16);
    assertEquals(io.fedmllm.protocol.TransferDtype.FLOAT16,
        FederationSettings.from(spec).federationConfig(List.of("a"), 4).transferDtype());
  }

  @Test
  void baseDtypeReachesTheFederationConfigurationFloat32ByDefault() {
    FederationSpec spec = minimal();
    assertEquals(io.fedmllm.protocol.BaseDtype.FLOAT32,
        FederationSettings.from(spec).federationConfig(List.of("a"), 4).baseDtype());
    spec.getModel().setPreset(null);
    io.fedmllm.api.v1alpha1.CheckpointSourceSpec checkpoint = new io.fedmllm.api.v1alpha1.CheckpointSourceSpec();
    checkpoint.setPath("SmolVLM-256M-Instruct");
    spec.getModel().setCheckpoint(checkpoint);
    spec.getModel().setBaseDtype(io.fedmllm.api.v1alpha1.BaseDtype.FLOAT16);
    assertEquals(io.fedmllm.protocol.BaseDtype.FLOAT16,
        FederationSettings.from(spec).federationConfig(List.of("a"), 4).baseDtype());
  }

  @Test
  void regulariserThatLeavesNoMiddleLayerIsAFieldError() {
    FederationSpec spec = minimal();
    MiddleLayerRegularizerSpec m = new MiddleLayerRegularizerSpec();
    m.setS(2);
    spec.getClientStrategies().setMiddleLayerRegularizer(m);
    FederationSettings s = FederationSettings.from(spec);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.clientStrategy(4));
    assertTrue(e.getMessage().startsWith("spec.clientStrategies.middleLayerRegularizer.s: s = 2 leaves no middle"),
        e.getMessage());
    assertEquals(2, s.clientStrategy(28).proximalSkipLayers());
  }

  @Test
  void scaffoldBuildsForTheFederationsClients() {
    FederationSpec spec = minimal();
    spec.getServerStrategy().setName(ServerStrategyName.SCAFFOLD);
    FederationConfig config = FederationSettings.from(spec).federationConfig(List.of("c", "a", "b"), 4);
    assertEquals("eta=1.0,numClients=3", config.createServerStrategy().parameters());
  }

  @Test
  void outOfRangeServerParameterNamesTheSpecField() {
    FederationSpec spec = minimal();
    spec.getServerStrategy().setName(ServerStrategyName.FEDADAM);
    spec.getServerStrategy().setEta(Double.POSITIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederationSettings.from(spec));
    assertTrue(e.getMessage().startsWith("spec.serverStrategy.eta"), e.getMessage());
  }

  @Test
  void parameterOfAnotherStrategyNamesTheSpecField() {
    FederationSpec spec = minimal();
    spec.getServerStrategy().setName(ServerStrategyName.FEDAVGM);
    spec.getServerStrategy().setTau(0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederationSettings.from(spec));
    assertTrue(e.getMessage().startsWith("spec.serverStrategy: fedavgm takes only beta1"), e.getMessage());
  }

  @Test
  void invalidSpecFailsWithTheValidatorsMessage() {
    FederationSpec spec = minimal();
    spec.getTraining().setLocalSteps(5);
    spec.getTraining().setLocalEpochs(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederationSettings.from(spec));
    assertTrue(e.getMessage().startsWith("spec.training: set at most one of localEpochs and localSteps"),
        e.getMessage());
  }

  @Test
  void buildsTheProtocolConfiguration() throws Exception {
    Manifest manifest = new ManifestReader().read(Path.of("../examples/local-missing-10clients.yaml"));
    FederationSettings s = FederationSettings.from(manifest.federation().spec());
    FederationConfig config = s.federationConfig(manifest.clientNames(), 4);
    assertEquals(10, config.clients().size());
    assertEquals(3, config.clientsPerRound());
    assertEquals(null, config.clientFraction());
    assertEquals(3, config.perRound(10));
    assertEquals(2, config.perRound(2), "at most the pool");
    assertEquals(2, config.minClients());
    assertEquals(600_000, config.roundDeadlineMillis());
    assertEquals("fedadagrad", config.createServerStrategy().name());
    assertFalse(config.clientStrategy().proximalMu() == 0);
  }

  @Test
  void aFractionOrEveryClientIsStoredAsTheRuleSoItFollowsThePool() throws Exception {
    FederationSpec spec = minimal();
    spec.setClientFraction(0.3);
    FederationConfig fraction = FederationSettings.from(spec).federationConfig(List.of("a", "b"), 4);
    assertEquals(0, fraction.clientsPerRound());
    assertEquals(0.3, fraction.clientFraction());
    assertEquals(3, fraction.perRound(10));
    assertEquals(6, fraction.perRound(20));
    assertEquals(1, fraction.perRound(2), "at least one");
    FederationConfig every = FederationSettings.from(minimal()).federationConfig(List.of("a"), 4);
    assertEquals(0, every.clientsPerRound());
    assertEquals(null, every.clientFraction());
    assertEquals(7, every.perRound(7));
  }

  @Test
  void theStartPolicyWaitsForAtLeastTheQuorum() {
    FederationSpec spec = minimal();
    spec.setMinClients(2);
    assertEquals(new StartPolicy(2, Optional.empty()), FederationSettings.from(spec).startPolicy());
    StartPolicySpec policy = new StartPolicySpec();
    policy.setMinClients(5);
    policy.setTimeout("90s");
    spec.setStartPolicy(policy);
    assertEquals(new StartPolicy(5, Optional.of(Duration.ofSeconds(90))), FederationSettings.from(spec).startPolicy());
    policy.setMinClients(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederationSettings.from(spec));
    assertTrue(e.getMessage().startsWith("spec.startPolicy.minClients: startPolicy.minClients must be at least"),
        e.getMessage());
  }

  private static FederationSpec minimal() {
    try {
      String text = """
          apiVersion: fedmllm.io/v1alpha1
          kind: Federation
          metadata: {name: m}
          spec:
            task: hateful
            model: {preset: tiny}
            evalData: {format: synthetic, synthetic: {generator: "hateful,count=10"}}
          ---
          apiVersion: fedmllm.io/v1alpha1
          kind: FederationClient
          metadata: {name: c}
          spec:
            federationRef: {name: m}
            data: {format: synthetic, synthetic: {generator: "hateful,count=10"}}
          """;
      return new ManifestReader().read(text, "minimal.yaml").federation().spec();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
