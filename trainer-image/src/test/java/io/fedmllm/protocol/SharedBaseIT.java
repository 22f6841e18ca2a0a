package io.fedmllm.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.metrics.FederationMetrics;
import io.fedmllm.model.ModelConfig;
import io.fedmllm.storage.Checksums;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared base over a real S3Proxy, without a model: publish once (the second publisher adopts the first's),
 * verified fetches, and the local copy keyed by SHA-256 that spares a restarted process the download.
 */
class SharedBaseIT {

  private static final ModelConfig TINY = ModelConfig.preset("tiny");
  private static final String TOKENIZER = "ab".repeat(32);

  @TempDir Path dir;
  private ProtocolHarness harness;
  private final FederationLayout layout = new FederationLayout("fed/base");

  @BeforeEach
  void start() throws Exception {
    harness = new ProtocolHarness(dir.resolve("s3"));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private static byte[] weights(float value) {
    return UpdateCodec.encode(ProtocolHarness.adapter(value));
  }

  @Test
  void theFirstPublishedBaseWinsAndALaterPublisherAdoptsIt() {
    SharedBase first = new SharedBase(harness.connect(new FederationMetrics()), layout);
    SharedBase second = new SharedBase(harness.connect(new FederationMetrics()), layout);
    BaseManifest committed = first.publish(weights(1), TINY, TOKENIZER, 32, "first");
    assertEquals(layout.baseData(committed.weights().sha256()), committed.weights().key());
    assertEquals(Checksums.sha256Hex(weights(1)), committed.weights().sha256());
    assertEquals(committed, second.publish(weights(2), TINY, TOKENIZER, 32, "second"), "the loser adopts");
    assertEquals(committed, second.published().orElseThrow());
    assertArrayEquals(weights(1), second.download(committed));
  }

  @Test
  void aLocalCopyIsReusedByItsShaAndReplacedWhenItDoesNotMatch() throws Exception {
    BaseManifest base = new SharedBase(harness.connect(new FederationMetrics()), layout)
        .publish(weights(1), TINY, TOKENIZER, 32, "test");
    Path copies = dir.resolve("cache/base/published");

    FederationMetrics firstStart = new FederationMetrics();
    SharedBase.Fetched fetched = new SharedBase(harness.connect(firstStart), layout).fetch(base, copies);
    assertFalse(fetched.fromLocalCopy());
    assertTrue(firstStart.bytesRead() >= base.weights().size(), "downloaded");
    Path copy = copies.resolve(base.weights().sha256() + ".safetensors");
    assertArrayEquals(weights(1), Files.readAllBytes(copy));

    FederationMetrics restart = new FederationMetrics();
    fetched = new SharedBase(harness.connect(restart), layout).fetch(base, copies);
    assertTrue(fetched.fromLocalCopy());
    assertEquals(0.0, restart.bytesRead(), "no download after a restart on the same disk");
    assertArrayEquals(weights(1), fetched.bytes());

    byte[] corrupt = Files.readAllBytes(copy);
    corrupt[corrupt.length - 1] ^= 1;
    Files.write(copy, corrupt);
    fetched = new SharedBase(harness.connect(new FederationMetrics()), layout).fetch(base, copies);
    assertFalse(fetched.fromLocalCopy(), "a damaged copy is not trusted");
    assertArrayEquals(weights(1), Files.readAllBytes(copy), "and is replaced");
  }

  @Test
  void aBaseWhoseBytesDoNotMatchItsManifestIsNeverUsed() {
    ManifestStore store = harness.connect(new FederationMetrics());
    BaseManifest base = new SharedBase(store, layout).publish(weights(1), TINY, TOKENIZER, 32, "test");
    store.objects().put(base.weights().key(), weights(3));
    SharedBase reader = new SharedBase(harness.connect(new FederationMetrics()), layout);
    assertThrows(ChecksumMismatchException.class, () -> reader.download(base));
    assertThrows(ChecksumMismatchException.class, () -> reader.fetch(base, dir.resolve("copies")));
  }
}
