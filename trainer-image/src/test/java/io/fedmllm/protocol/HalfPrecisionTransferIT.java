package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.tensor.SafetensorsReader;
import io.fedmllm.tensor.SafetensorsDtype;
import io.fedmllm.tensor.SafetensorsEntry;
import io.fedmllm.tensor.TensorMap;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adapter.transferDtype: float16} over a real S3Proxy: trainers upload F16 updates (half the data bytes, size and
 * SHA-256 verified like any update), the aggregator widens them and aggregates in float32, and the result stays within
 * half precision of the same federation sent in float32. A prefix run in one dtype refuses the other.
 */
class HalfPrecisionTransferIT {

  @TempDir Path dir;
  private ProtocolHarness harness;
  private ManifestStore reader;

  @BeforeEach
  void start() throws Exception {
    harness = new ProtocolHarness(dir.resolve("s3"));
    reader = harness.connect(new FederationMetrics());
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private FederationOutcome run(FederationLayout layout, FederationConfig config) throws Exception {
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    for (String c : config.clients()) {
      harness.trainer(layout, c, new FederationMetrics());
    }
    FederationOutcome outcome = await(aggregator);
    assertTrue(outcome.completed(), outcome.message());
    return outcome;
  }

  @Test
  void float16UpdatesHalveTheDataBytesAndTheFederationCompletesWithinHalfPrecisionOfFloat32() throws Exception {
    FederationConfig single = ProtocolHarness.config(3, 2, 3, 20_000);
    FederationConfig half = single.withTransferDtype(TransferDtype.FLOAT16);
    FederationLayout f32 = new FederationLayout("fed/f32");
    FederationLayout f16 = new FederationLayout("fed/f16");
    FederationOutcome full = run(f32, single);
    FederationOutcome rounded = run(f16, half);

    for (int round = 0; round < 2; round++) {
      for (String client : single.clients()) {
        UpdateManifest a = reader.read(f32.updateManifest(round, client), UpdateManifest.class).orElseThrow();
        UpdateManifest b = reader.read(f16.updateManifest(round, client), UpdateManifest.class).orElseThrow();
        byte[] fullBytes = reader.readData(a.weights());
        byte[] halfBytes = reader.readData(b.weights()); // size and SHA-256 verified against the manifest
        assertEquals(b.weights().size(), halfBytes.length);
        try (SafetensorsReader r32 = SafetensorsReader.of(fullBytes, "f32");
            SafetensorsReader r16 = SafetensorsReader.of(halfBytes, "f16", SafetensorsDtype.TRANSFER)) {
          assertEquals(r32.header().dataLength(), 2 * r16.header().dataLength(), "round " + round + " " + client);
          for (SafetensorsEntry e : r16.entries()) {
            assertEquals(SafetensorsDtype.F16, e.dtype(), e.name());
          }
        }
        TensorMap decoded = UpdateCodec.decode(halfBytes, b.weights().key());
        assertEquals(decoded, TransferDtype.FLOAT16.roundTrip(decoded), "the upload holds half-precision values");
      }
    }

    float[] expected = flat(UpdateCodec.decode(reader.readData(full.finalAdapter()), "f32 final"));
    float[] actual = flat(UpdateCodec.decode(reader.readData(rounded.finalAdapter()), "f16 final"));
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      // two rounds, each rounding by at most half a unit of the half's 11-bit significand; twice that as margin
      assertEquals(expected[i], actual[i], 4 * Math.abs(expected[i]) * 0x1p-11f, "value " + i);
    }
    assertNotEquals(full.finalAdapter().sha256(), rounded.finalAdapter().sha256(), "the updates were rounded");
    // the global adapter the aggregator writes stays float32
    try (SafetensorsReader global = SafetensorsReader.of(reader.readData(rounded.finalAdapter()), "global")) {
      assertTrue(global.entries().stream().allMatch(e -> e.dtype() == SafetensorsDtype.F32));
    }
  }

  @Test
  void aPrefixRunInFloat32RefusesFloat16NamingTheField() throws Exception {
    FederationLayout layout = new FederationLayout("fed/switch");
    FederationConfig stored = ProtocolHarness.config(2, 1, 1, 1_000);
    reader.publish(layout.federation(), stored);
    ProtocolException e = assertThrows(ProtocolException.class, () -> new Aggregator(reader, layout,
        stored.withTransferDtype(TransferDtype.FLOAT16), AggregatorBase.placeholder(ProtocolHarness.adapter(0)),
        ProtocolHarness.FAST, new FederationMetrics(), System.out).run());
    assertTrue(e.getMessage().contains("differs in adapter.transferDtype"), e.getMessage());
  }

  private static float[] flat(TensorMap tensors) {
    java.util.List<Float> out = new java.util.ArrayList<>();
    for (Map.Entry<String, io.fedmllm.tensor.Tensor> e : tensors) {
      for (float v : e.getValue().data()) {
        out.add(v);
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }
}
