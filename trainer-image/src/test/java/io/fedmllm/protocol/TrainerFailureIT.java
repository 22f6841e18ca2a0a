package io.fedmllm.protocol;

import static io.fedmllm.protocol.ProtocolHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.data.DatasetFormat;
import io.fedmllm.data.DatasetLoader;
import io.fedmllm.metrics.FederationMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer whose own data is unusable records a {@link TrainerFailure}, and the aggregator acts on it at once over
 * the real embedded store: the round goes on without that client when the quorum can still be met, and the federation
 * fails within seconds, naming the client and the file, when it cannot. The round deadline is 10 minutes (the
 * example's), so a wait for it would be noticed.
 */
class TrainerFailureIT {

  private static final long TEN_MINUTES = 600_000;
  /** Far below the deadline: what a poll, a commit and a thread start take, with room for a busy machine. */
  private static final long BOUND_MILLIS = 30_000;

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

  @Test
  void anEmptyTrainFileFailsTheFederationWithinSecondsNamingTheClientAndTheFile() throws Exception {
    Path data = Files.createDirectories(dir.resolve("client-001"));
    Path empty = Files.writeString(data.resolve("train.jsonl"), "");
    FederationLayout layout = new FederationLayout("fed/empty");
    FederationConfig config = ProtocolHarness.config(2, 3, 2, TEN_MINUTES);
    long started = System.currentTimeMillis();
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    harness.trainer(layout, "client-000", new FederationMetrics());
    Future<FederationOutcome> broken = harness.trainer(layout, "client-001", c -> trainingOn(data, c, "client-001"),
        new FederationMetrics(), s -> s);

    FederationOutcome outcome = await(aggregator);
    long took = System.currentTimeMillis() - started;

    System.out.println("TrainerFailureIT: federation failed " + took + " ms after start, round deadline "
        + TEN_MINUTES + " ms");
    assertFalse(outcome.completed());
    assertTrue(took < BOUND_MILLIS, "ended after " + took + " ms, deadline " + TEN_MINUTES + " ms");
    assertEquals(0, outcome.roundsCommitted());
    assertTrue(outcome.message().contains("client-001 failed: " + empty + ": no samples"), outcome.message());
    assertTrue(outcome.message().startsWith("round 0: 1 of 2 sampled clients can still send an update, quorum 2"),
        outcome.message());
    assertFalse(reader.exists(layout.deadlineExtension(0)), "no extension can bring a failed client back");
    ExecutionException trainerError = assertThrows(ExecutionException.class, () -> await(broken));
    assertInstanceOf(TrainerFailedException.class, trainerError.getCause());
    TrainerFailure record = reader.read(layout.trainerFailure("client-001"), TrainerFailure.class).orElseThrow();
    assertTrue(record.active());
    assertEquals(empty + ": no samples: the file holds no records", record.reason());
  }

  @Test
  void aClientWithABrokenPictureIsDroppedAndTheRoundsGoOnWithTheQuorum() throws Exception {
    Path data = Files.createDirectories(dir.resolve("client-002"));
    Files.createDirectories(data.resolve("img"));
    Files.writeString(data.resolve("img/meme.png"), "just text in a .png");
    Path file = Files.writeString(data.resolve("train.jsonl"),
        "{\"id\": \"m1\", \"image\": \"img/meme.png\", \"instruction\": \"q\", \"answer\": \"a\"}\n");
    FederationLayout layout = new FederationLayout("fed/broken-picture");
    FederationConfig config = ProtocolHarness.config(3, 2, 2, TEN_MINUTES);
    long started = System.currentTimeMillis();
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    harness.trainer(layout, "client-000", new FederationMetrics());
    harness.trainer(layout, "client-001", new FederationMetrics());
    harness.trainer(layout, "client-002", c -> trainingOn(data, c, "client-002"), new FederationMetrics(), s -> s);

    FederationOutcome outcome = await(aggregator);
    long took = System.currentTimeMillis() - started;

    System.out.println("TrainerFailureIT: 2 rounds without the broken client took " + took + " ms");
    assertTrue(outcome.completed(), outcome.message());
    assertTrue(took < BOUND_MILLIS, "took " + took + " ms, deadline " + TEN_MINUTES + " ms");
    for (int round = 0; round < 2; round++) {
      RoundManifest committed = reader.read(layout.roundManifest(round), RoundManifest.class).orElseThrow();
      assertEquals(List.of("client-000", "client-001"), committed.accepted());
      assertEquals(List.of("client-002"), committed.missing());
    }
    String reason = reader.read(layout.trainerFailure("client-002"), TrainerFailure.class).orElseThrow().reason();
    assertTrue(reason.startsWith(file + ":1: field 'image': "), reason);
  }

  @Test
  void aPictureWhoseHeaderIsSoundButWhoseBodyIsCutFailsInTrainingAndIsRecordedToo() throws Exception {
    Path data = Files.createDirectories(dir.resolve("client-001"));
    byte[] png = Files.readAllBytes(io.fedmllm.data.Fixtures.path("jsonl/img/a.png"));
    Files.write(data.resolve("cut.png"), java.util.Arrays.copyOf(png, 40));
    Files.writeString(data.resolve("train.jsonl"),
        "{\"id\": \"c1\", \"image\": \"cut.png\", \"instruction\": \"q\", \"answer\": \"a\"}\n");
    FederationLayout layout = new FederationLayout("fed/cut-picture");
    FederationConfig config = ProtocolHarness.config(2, 2, 2, TEN_MINUTES);
    long started = System.currentTimeMillis();
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    harness.trainer(layout, "client-000", new FederationMetrics());
    harness.trainer(layout, "client-001", c -> decodingEveryPicture(data, c, "client-001"), new FederationMetrics(),
        s -> s);

    FederationOutcome outcome = await(aggregator);
    long took = System.currentTimeMillis() - started;

    assertFalse(outcome.completed());
    assertTrue(took < BOUND_MILLIS, "ended after " + took + " ms, deadline " + TEN_MINUTES + " ms");
    assertTrue(outcome.message().contains("client-001 failed: round 0: cannot read image " + data.resolve("cut.png")),
        outcome.message());
  }

  @Test
  void aTrainerStartedAgainWithUsableDataRetractsItsFailureAndTakesPartAgain() throws Exception {
    FederationLayout layout = new FederationLayout("fed/recovered");
    ManifestStore store = harness.connect(new FederationMetrics());
    Trainer.recordFailure(store, layout, "client-001", "train.jsonl: no samples", System.out);
    FederationConfig config = ProtocolHarness.config(2, 3, 1, TEN_MINUTES);
    Future<FederationOutcome> aggregator = harness.aggregator(layout, config, new FederationMetrics());
    // Rounds of a second or more leave the restarted trainer time to retract its record before the last round.
    harness.trainer(layout, "client-000", c -> {
      LocalTraining normal = ProtocolHarness.shift(c, "client-000");
      return (plan, global, state) -> {
        ProtocolHarness.sleepUntil(System.currentTimeMillis() + 1_000);
        return normal.train(plan, global, state);
      };
    }, new FederationMetrics(), s -> s);
    harness.trainer(layout, "client-001", new FederationMetrics());

    FederationOutcome outcome = await(aggregator);

    assertTrue(outcome.completed(), outcome.message());
    assertFalse(reader.read(layout.trainerFailure("client-001"), TrainerFailure.class).orElseThrow().active());
    RoundManifest last = reader.read(layout.roundManifest(2), RoundManifest.class).orElseThrow();
    assertEquals(List.of("client-000", "client-001"), last.accepted());
  }

  /** Reads the data (the header check passes), then decodes each picture when training, as the model does. */
  private static LocalTraining decodingEveryPicture(Path data, FederationConfig config, String client) {
    java.util.List<io.fedmllm.data.Sample> samples;
    try {
      samples = DatasetLoader.load(DatasetFormat.JSONL, data, "train");
    } catch (IOException e) {
      throw new AssertionError("the header check passes a picture cut after its header", e);
    }
    LocalTraining shift = ProtocolHarness.shift(config, client);
    return (plan, global, state) -> {
      for (io.fedmllm.data.Sample sample : samples) {
        io.fedmllm.data.ImageSource image = sample.image().orElseThrow();
        try {
          image.load();
        } catch (IOException e) {
          // What ImagePreprocessor throws for a picture it cannot decode.
          throw new java.io.UncheckedIOException("cannot read image " + image.describe() + ": " + e.getMessage(), e);
        }
      }
      return shift.train(plan, global, state);
    };
  }

  /** What a trainer's pre-flight does with its own data: reads it, and reports a permanent failure if unusable. */
  private static LocalTraining trainingOn(Path data, FederationConfig config, String client) {
    try {
      DatasetLoader.load(DatasetFormat.JSONL, data, "train");
    } catch (IOException e) {
      throw new TrainerFailedException(e.getMessage());
    }
    return ProtocolHarness.shift(config, client);
  }
}
