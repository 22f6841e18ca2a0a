package io.fedmllm.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.data.FileImage;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import io.fedmllm.manifest.ClientDataResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code s3:} data sources against a real S3Proxy: the Hateful-Memes fixture uploaded to a bucket reads as the same
 * samples as from the local folder, a second resolution downloads nothing, and the failures are one line naming
 * {@code spec.data.s3}.
 */
@Timeout(120)
class S3DatasetFetcherIT {

  private static final String BUCKET = "datasets";
  private static final Path HATEFUL_MEMES = Fixtures.path("hateful-memes");

  @TempDir static Path dir;
  private static EmbeddedObjectStore server;
  private static S3ObjectStore store;

  @BeforeAll
  static void uploadTheFixture() throws IOException {
    server = EmbeddedObjectStore.start(dir.resolve("s3"), BUCKET, 0);
    store = server.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(10)));
    try (Stream<Path> files = Files.walk(HATEFUL_MEMES)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        store.put("team-a/hateful_memes/" + HATEFUL_MEMES.relativize(f).toString().replace('\\', '/'),
            Files.readAllBytes(f));
      }
    }
    // What consoles leave behind, and a sibling that starts like the prefix: neither is part of the dataset.
    store.put("team-a/hateful_memes/img/", new byte[0]);
    store.put("team-a/hateful_memes_v2/stray.txt", "not this one".getBytes(StandardCharsets.UTF_8));
    store.put("team-a/empty/", new byte[0]);
  }

  @AfterAll
  static void stop() {
    store.close();
    server.close();
  }

  private static S3DatasetFetcher fetcher(Path cache, long limit, AwsCredentialsProvider credentials,
      ByteArrayOutputStream log) {
    return new S3DatasetFetcher(server.settings().endpoint(), EmbeddedObjectStore.REGION, credentials,
        RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(5)), cache, limit,
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private static S3DatasetFetcher fetcher(Path cache, ByteArrayOutputStream log) {
    return fetcher(cache, 20L << 30, server.credentials(), log);
  }

  @Test
  void anS3SourceReadsTheSameSamplesAsTheLocalFolderAndIsDownloadedOnce() throws IOException {
    Path cache = dir.resolve("cache-same");
    FederationClientSpec fromS3 = client(s3Source("s3://datasets/team-a/hateful_memes"));
    DataSourceSpec local = new DataSourceSpec();
    local.setFormat(DataFormat.HATEFUL_MEMES);
    local.setPath(HATEFUL_MEMES.toString());
    List<String> expected = describe(ClientDataResolver.forLocalRun(Path.of("/"), java.util.Optional.empty())
        .clientSamples(client(local)));

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long objects = countFiles(HATEFUL_MEMES);
    Map<Path, FileTime> firstCopy;
    try (S3DatasetFetcher fetcher = fetcher(cache, log)) {
      ClientDataResolver resolver = ClientDataResolver.inPod(Path.of("/data"), java.util.Optional.of(fetcher::fetch));
      List<Sample> samples = resolver.clientSamples(fromS3);
      assertFalse(samples.isEmpty());
      assertEquals(expected, describe(samples));
      assertEquals(objects, fetcher.downloads(), "every file of the fixture, no marker, no sibling");
      long requests = fetcher.requests();
      assertEquals(1 + objects, requests, "one list page and one GET per object");
      firstCopy = mtimes(cache);

      // The same process again (e.g. evalData on the same prefix): one list request, nothing downloaded.
      assertEquals(expected, describe(resolver.clientSamples(fromS3)));
      assertEquals(objects, fetcher.downloads());
      assertEquals(requests + 1, fetcher.requests());
    }
    // A restarted process: the complete folder is reused, its files untouched.
    try (S3DatasetFetcher restarted = fetcher(cache, log)) {
      assertEquals(expected, describe(ClientDataResolver.inPod(Path.of("/data"),
          java.util.Optional.of(restarted::fetch)).clientSamples(fromS3)));
      assertEquals(0, restarted.downloads());
      assertEquals(1, restarted.requests());
    }
    assertEquals(firstCopy, mtimes(cache));
    String marker = Files.readString(onlyMarker(cache));
    assertTrue(marker.contains("\"team-a/hateful_memes/train.jsonl\"") && marker.contains("\"etag\""), marker);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("reusing the complete copy"), log.toString());
  }

  @Test
  void aChangedDatasetDownloadsOnlyWhatChangedAndDropsWhatWasRemoved() throws IOException {
    Path cache = dir.resolve("cache-changed");
    for (String name : List.of("a.txt", "b.txt", "c/c.txt")) {
      store.put("changing/" + name, name.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (S3DatasetFetcher fetcher = fetcher(cache, log)) {
      Path folder = fetcher.fetch("s3://datasets/changing/");
      assertEquals(3, fetcher.downloads());
      store.put("changing/b.txt", "b, second version".getBytes(StandardCharsets.UTF_8));
      store.deletePrefix("changing/c/");
      store.put("changing/d.txt", "d".getBytes(StandardCharsets.UTF_8));
      assertEquals(folder, fetcher.fetch("s3://datasets/changing/"));
      assertEquals(5, fetcher.downloads(), "b.txt and d.txt");
      assertEquals("b, second version", Files.readString(folder.resolve("b.txt")));
      assertEquals("a.txt", Files.readString(folder.resolve("a.txt")));
      assertFalse(Files.exists(folder.resolve("c/c.txt")), "removed from the bucket, removed from the copy");
    }
  }

  @Test
  void aUriNamingOneObjectGivesThatFile() throws IOException {
    try (S3DatasetFetcher fetcher = fetcher(dir.resolve("cache-one"), new ByteArrayOutputStream())) {
      Path file = fetcher.fetch("s3://datasets/team-a/hateful_memes/train.jsonl");
      assertEquals("train.jsonl", file.getFileName().toString());
      assertArrayEquals(Files.readAllBytes(HATEFUL_MEMES.resolve("train.jsonl")), Files.readAllBytes(file));
    }
  }

  @Test
  void anEmptyPrefixOrOnlyDirectoryMarkersIsOneLineNamingTheField() {
    try (S3DatasetFetcher fetcher = fetcher(dir.resolve("cache-empty"), new ByteArrayOutputStream())) {
      ClientDataResolver resolver = ClientDataResolver.inPod(Path.of("/data"), java.util.Optional.of(fetcher::fetch));
      IOException nothing = assertThrows(IOException.class,
          () -> resolver.clientSamples(client(s3Source("s3://datasets/team-b/nothing/"))));
      assertEquals("spec.data.s3: s3://datasets/team-b/nothing/: no objects", nothing.getMessage());
      IOException markers = assertThrows(IOException.class,
          () -> resolver.clientSamples(client(s3Source("s3://datasets/team-a/empty/"))));
      assertEquals("spec.data.s3: s3://datasets/team-a/empty/: no objects", markers.getMessage());

      FederationSpec federation = new FederationSpec();
      federation.setEvalData(s3Source("s3://no-such-bucket/x"));
      IOException bucket = assertThrows(IOException.class, () -> resolver.evalSamples(federation));
      assertTrue(bucket.getMessage().startsWith("spec.evalData.s3: s3://no-such-bucket/x: no such bucket (404"),
          bucket.getMessage());
      assertOneLine(bucket.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreAccessDeniedAtOnce() {
    AwsCredentialsProvider wrong = StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "wrong"));
    try (S3DatasetFetcher fetcher = fetcher(dir.resolve("cache-denied"), 20L << 30, wrong,
        new ByteArrayOutputStream())) {
      long started = System.nanoTime();
      IOException denied = assertThrows(IOException.class, () -> ClientDataResolver.inPod(Path.of("/data"),
          java.util.Optional.of(fetcher::fetch)).clientSamples(client(s3Source("s3://datasets/team-a/hateful_memes"))));
      assertTrue(denied.getMessage().startsWith("spec.data.s3: s3://datasets/team-a/hateful_memes: access denied (403"),
          denied.getMessage());
      assertOneLine(denied.getMessage());
      assertTrue(System.nanoTime() - started < 4_000_000_000L, "a 403 is not retried");
    }
  }

  @Test
  void aDatasetOverTheLimitIsRefusedBeforeAnyDownload() throws IOException {
    byte[] chunk = new byte[40 * 1024];
    for (int i = 0; i < 5; i++) {
      store.put("big/part-" + i + ".bin", chunk);
    }
    Path cache = dir.resolve("cache-big");
    try (S3DatasetFetcher fetcher = fetcher(cache, 100 * 1024, server.credentials(), new ByteArrayOutputStream())) {
      IOException tooBig = assertThrows(IOException.class, () -> ClientDataResolver.inPod(Path.of("/data"),
          java.util.Optional.of(fetcher::fetch)).clientSamples(client(s3Source("s3://datasets/big/"))));
      assertEquals("spec.data.s3: s3://datasets/big/: the objects under it add up to more than the limit of 100.0 KiB"
          + " (120.0 KiB after 3 objects); raise FEDMLLM_S3_DATA_LIMIT (e.g. FEDMLLM_S3_DATA_LIMIT=50G) or narrow the"
          + " prefix", tooBig.getMessage());
      assertEquals(0, fetcher.downloads());
      assertEquals(0, countFiles(cache) - countMatching(cache, ".lock"), "nothing written but the lock");
    }
  }

  private static DataSourceSpec s3Source(String uri) {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.HATEFUL_MEMES);
    data.setS3(uri);
    return data;
  }

  private static FederationClientSpec client(DataSourceSpec data) {
    FederationClientSpec spec = new FederationClientSpec();
    spec.setData(data);
    return spec;
  }

  /** Everything a sample holds, with the image as its bytes (the paths differ: fixture folder vs cache). */
  private static List<String> describe(List<Sample> samples) throws IOException {
    List<String> out = new ArrayList<>();
    for (Sample s : samples) {
      String image = s.image().isEmpty() ? "-" : Checksums.sha256Hex(
          Files.readAllBytes(((FileImage) s.image().get()).path()));
      out.add(String.join("|", s.id(), image, s.text().orElse("-"), s.instruction(), s.answer(),
          String.valueOf(s.label()), String.valueOf(s.options())));
    }
    return out;
  }

  private static void assertOneLine(String message) {
    assertFalse(message.contains("\n"), message);
  }

  private static long countFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static long countMatching(Path root, String name) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().equals(name)).count();
    }
  }

  private static Map<Path, FileTime> mtimes(Path root) throws IOException {
    Map<Path, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().equals(".lock")) {
          times.put(f, Files.getLastModifiedTime(f));
        }
      }
    }
    return times;
  }

  private static Path onlyMarker(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().equals(S3DatasetFetcher.MARKER)).findFirst().orElseThrow();
    }
  }
}
