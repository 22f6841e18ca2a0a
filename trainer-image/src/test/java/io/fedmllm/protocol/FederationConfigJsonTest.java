package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.strategy.ServerStrategyConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code federation.json} in the typed form, and files written before it still read as the same federation. */
class FederationConfigJsonTest {

  private static FederationConfig with(FederationConfig c, ServerStrategyConfig server) {
    return new FederationConfig(c.model(), c.task(), c.clients(), c.rounds(), c.clientsPerRound(), c.clientFraction(),
        c.minClients(),
        c.roundDeadlineMillis(), c.seed(), c.schedule(), c.training(), c.lora(), c.clientStrategy(), server);
  }

  private static String json(FederationConfig c) {
    return new String(ManifestStore.toJson(c), StandardCharsets.UTF_8);
  }

  private static FederationConfig parse(String json) {
    return ManifestStore.parse(json.getBytes(StandardCharsets.UTF_8), FederationConfig.class, "federation.json");
  }

  @Test
  void typedStrategyRoundTrips() {
    FederationConfig scaffold = with(ProtocolHarness.config(3, 2, 2, 10_000),
        new ServerStrategyConfig.ScaffoldConfig(0.5));
    String text = json(scaffold);
    assertTrue(text.contains("\"name\" : \"scaffold\""), text);
    assertEquals(scaffold, parse(text));
    assertEquals("eta=0.5,numClients=3", parse(text).createServerStrategy().parameters());
  }

  @Test
  void legacyNameAndParametersReadAsTheSameFederation() {
    FederationConfig adam = with(ProtocolHarness.config(3, 2, 2, 10_000),
        new ServerStrategyConfig.FedAdamConfig(0.01, 1e-3, 0.9, 0.99));
    String typed = json(adam);
    int start = typed.indexOf("\"serverStrategy\"");
    int end = typed.indexOf('}', start) + 1;
    String legacy = typed.substring(0, start)
        + "\"serverStrategy\" : \"fedadam\", \"serverParameters\" : {\"eta\" : 0.01}" + typed.substring(end);
    FederationConfig read = parse(legacy);
    assertEquals(adam, read);
    assertEquals(ConfigChange.Kind.SAME, ConfigChange.between(read, adam).kind());
    assertEquals(ConfigChange.Kind.INCOMPATIBLE, ConfigChange.between(read,
        with(adam, new ServerStrategyConfig.FedAdamConfig(0.02, 1e-3, 0.9, 0.99))).kind());
  }

  @Test
  void legacyUnknownParameterIsNamed() {
    String typed = json(ProtocolHarness.config(3, 2, 2, 10_000));
    int start = typed.indexOf("\"serverStrategy\"");
    int end = typed.indexOf('}', start) + 1;
    String legacy = typed.substring(0, start)
        + "\"serverStrategy\" : \"fedavg\", \"serverParameters\" : {\"beta1\" : 0.5}" + typed.substring(end);
    ProtocolException e = assertThrows(ProtocolException.class, () -> parse(legacy));
    assertTrue(e.getMessage().contains("serverParameters.beta1"), e.getMessage());
  }

  @Test
  void transferDtypeRoundTripsAndAFileWithoutItReadsAsFloat32() {
    FederationConfig half = ProtocolHarness.config(3, 2, 2, 10_000).withTransferDtype(TransferDtype.FLOAT16);
    String text = json(half);
    assertTrue(text.contains("\"transferDtype\" : \"float16\""), text);
    assertEquals(half, parse(text));
    String before = text.replace(",\n  \"transferDtype\" : \"float16\"", "");
    assertTrue(!before.contains("transferDtype"), before);
    assertEquals(TransferDtype.FLOAT32, parse(before).transferDtype());
    assertEquals(ConfigChange.Kind.SAME,
        ConfigChange.between(parse(before), ProtocolHarness.config(3, 2, 2, 10_000)).kind());
  }

  @Test
  void float16IsRefusedWithScaffoldNamingTheField() {
    FederationConfig scaffold = with(ProtocolHarness.config(3, 2, 2, 10_000),
        new ServerStrategyConfig.ScaffoldConfig(0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> scaffold.withTransferDtype(TransferDtype.FLOAT16));
    assertTrue(e.getMessage().contains("adapter.transferDtype float16"), e.getMessage());
  }

  @Test
  void baseDtypeRoundTripsAndAFileWithoutItReadsAsFloat32() {
    FederationConfig half = ProtocolHarness.config(3, 2, 2, 10_000).withBaseDtype(BaseDtype.FLOAT16);
    String text = json(half);
    assertTrue(text.contains("\"baseDtype\" : \"float16\""), text);
    assertEquals(half, parse(text));
    String before = text.replace(",\n  \"baseDtype\" : \"float16\"", "");
    assertTrue(!before.contains("baseDtype"), before);
    assertEquals(BaseDtype.FLOAT32, parse(before).baseDtype());
  }
}
