package io.fedmllm.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.manifest.CheckpointDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.model.checkpoint.s3} against a real S3Proxy: the files a checkpoint names (never a listing) arrive
 * byte-identical in the cache, a restarted process downloads nothing, a changed shard is the only download, and a
 * missing file is one line naming its key.
 */
@Timeout(120)
class S3CheckpointFetcherIT {

  private static final String BUCKET = "models";
  private static final String SHARD_1 = "model-00001-of-00002.safetensors";
  private static final String SHARD_2 = "model-00002-of-00002.safetensors";

  @TempDir static Path dir;
  private static EmbeddedObjectStore server;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() throws IOException {
    server = EmbeddedObjectStore.start(dir.resolve("s3"), BUCKET, 0);
    store = server.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() {
    store.close();
    server.close();
  }

  /** A sharded checkpoint in the transformers-5 layout (chat_template.jinja, processor_config.json). */
  private static Map<String, byte[]> shardedCheckpoint(long seed) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("config.json", utf8("{\"model_type\": \"smolvlm\"}"));
    files.put("model.safetensors.index.json", utf8("{\"metadata\": {\"total_size\": 3000}, \"weight_map\": {"
        + "\"model.text_model.embed_tokens.weight\": \"" + SHARD_1 + "\","
        + "\"model.text_model.layers.0.self_attn.q_proj.weight\": \"" + SHARD_1 + "\","
        + "\"model.vision_model.embeddings.patch_embedding.weight\": \"" + SHARD_2 + "\"}}"));
    files.put(SHARD_1, random(2000, seed));
    files.put(SHARD_2, random(1000, seed + 1));
    files.put("tokenizer.json", utf8("{\"version\": \"1.0\"}"));
    files.put("tokenizer_config.json", utf8("{\"model_max_length\": 8192}"));
    files.put("chat_template.jinja", utf8("{% for message in messages %}{{ message['content'] }}{% endfor %}"));
    files.put("processor_config.json", utf8("{\"image_processor\": {\"do_image_splitting\": true}}"));
    return files;
  }

  private static void upload(String prefix, Map<String, byte[]> files) {
    files.forEach((name, bytes) -> store.put(prefix + name, bytes));
  }

  private static S3DatasetFetcher connection(ByteArrayOutputStream log) {
    return new S3DatasetFetcher(server.settings().endpoint(), EmbeddedObjectStore.REGION, server.credentials(),
        RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(5)), dir.resolve("unused-data-cache"), 20L << 30,
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @Test
  void theNamedFilesArriveOnceAndARestartDownloadsNothing() throws IOException {
    Map<String, byte[]> files = shardedCheckpoint(1);
    upload("hub/SmolVLM-256M-Instruct/", files);
    // What a crashed S3Proxy leaves (a partial object) and an unrelated neighbour: a listing would pick them up.
    store.put("hub/SmolVLM-256M-Instruct/" + SHARD_1 + "-6f1c2a9e-partial", random(10, 9));
    store.put("hub/SmolVLM-256M-Instruct/README.md", utf8("not part of the checkpoint"));
    Path cache = dir.resolve("cache-once");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path local;
    // A HEAD for config, index, shards, tokenizer x2 and the 5 optional files; requests() counts the successful
    // ones, so not the 3 absent optional files (404).
    long heads = files.size();
    try (S3DatasetFetcher connection = connection(log)) {
      local = new S3CheckpointFetcher(connection, cache).fetch("s3://models/hub/SmolVLM-256M-Instruct/");
      assertEquals(files.size(), connection.downloads(), "every named file once, the index included");
      assertEquals(heads + files.size() + 1, connection.requests(),
          "a HEAD per present file, a GET of the index to read it and a GET per file");
    }
    assertEquals(contents(files), contents(local));
    try (Stream<Path> leftovers = Files.list(local.getParent())) {
      assertEquals(List.of(".lock", S3DatasetFetcher.MARKER, "files"),
          leftovers.map(p -> p.getFileName().toString()).sorted().toList(), "no staging folder left");
    }
    Map<Path, FileTime> firstCopy = mtimes(local);

    try (S3DatasetFetcher restarted = connection(log)) {
      Path again = new S3CheckpointFetcher(restarted, cache).fetch("s3://models/hub/SmolVLM-256M-Instruct/");
      assertEquals(local, again);
      assertEquals(0, restarted.downloads());
      assertEquals(heads, restarted.requests(), "HEADs only: the index is read from the complete copy");
    }
    assertEquals(firstCopy, mtimes(local));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("reusing the complete copy"), log.toString());
  }

  @Test
  void aChangedShardIsTheOnlyDownloadAndTheCopyIsReplacedWhole() throws IOException {
    Map<String, byte[]> files = shardedCheckpoint(2);
    upload("changing/", files);
    Path cache = dir.resolve("cache-changed");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (S3DatasetFetcher connection = connection(log)) {
      new S3CheckpointFetcher(connection, cache).fetch("s3://models/changing");
    }
    files.put(SHARD_2, random(1000, 77));
    store.put("changing/" + SHARD_2, files.get(SHARD_2));
    try (S3DatasetFetcher connection = connection(log)) {
      Path local = new S3CheckpointFetcher(connection, cache).fetch("s3://models/changing/");
      assertEquals(1, connection.downloads(), "only the changed shard (with or without the trailing slash)");
      assertEquals(contents(files), contents(local));
    }
  }

  @Test
  void aSingleFileCheckpointTakesModelSafetensorsAndOnlyThePresentOptionalFiles() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("config.json", utf8("{\"model_type\": \"llava\"}"));
    files.put("model.safetensors", random(1500, 3));
    files.put("tokenizer.json", utf8("{}"));
    files.put("tokenizer_config.json", utf8("{\"chat_template\": \"{{ messages }}\"}"));
    files.put("preprocessor_config.json", utf8("{\"crop_size\": 336}"));
    upload("llava/", files);
    try (S3DatasetFetcher connection = connection(new ByteArrayOutputStream())) {
      Path local = new S3CheckpointFetcher(connection, dir.resolve("cache-single")).fetch("s3://models/llava/");
      assertEquals(contents(files), contents(local));
    }
  }

  @Test
  void aMissingShardOrRequiredFileIsOneLineNamingItsKey() throws IOException {
    Map<String, byte[]> files = shardedCheckpoint(4);
    files.remove(SHARD_2);
    upload("broken/", files);
    try (S3DatasetFetcher connection = connection(new ByteArrayOutputStream())) {
      S3CheckpointFetcher fetcher = new S3CheckpointFetcher(connection, dir.resolve("cache-broken"));
      IOException shard = assertThrows(IOException.class, () -> fetcher.fetch("s3://models/broken/"));
      assertEquals("broken/" + SHARD_2 + ": no such object (model.safetensors.index.json's weight_map names it)",
          shard.getMessage());
      assertEquals(0, connection.downloads(), "nothing is downloaded before every file is known to exist");

      store.put("no-tokenizer/config.json", utf8("{}"));
      store.put("no-tokenizer/model.safetensors", random(10, 5));
      IOException tokenizer = assertThrows(IOException.class, () -> fetcher.fetch("s3://models/no-tokenizer"));
      assertEquals("no-tokenizer/tokenizer.json: no such object (a checkpoint directory holds tokenizer.json and"
          + " tokenizer_config.json)", tokenizer.getMessage());

      store.put("no-weights/config.json", utf8("{}"));
      IOException weights = assertThrows(IOException.class, () -> fetcher.fetch("s3://models/no-weights/"));
      assertEquals("no-weights/model.safetensors: no such object, and no-weights/model.safetensors.index.json does"
          + " not exist either: a checkpoint directory holds model.safetensors or model.safetensors.index.json with"
          + " its shards", weights.getMessage());

      store.put("bad-index/config.json", utf8("{}"));
      store.put("bad-index/model.safetensors.index.json", utf8("{\"metadata\": {}}"));
      IOException index = assertThrows(IOException.class, () -> fetcher.fetch("s3://models/bad-index/"));
      assertEquals("bad-index/model.safetensors.index.json: no weight_map object naming the shards",
          index.getMessage());

      // Through the spec: the field and the URI come first, the key last.
      ModelSpec model = new ModelSpec();
      CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
      checkpoint.setS3("s3://models/nothing-here/");
      model.setCheckpoint(checkpoint);
      IOException spec = assertThrows(IOException.class, () -> CheckpointDirectories
          .inPod(Path.of("/checkpoint"), Optional.of(fetcher::fetch)).directory(model));
      assertEquals("spec.model.checkpoint.s3: s3://models/nothing-here/: nothing-here/config.json: no such object"
          + " (a checkpoint directory holds config.json)", spec.getMessage());
    }
  }

  @Test
  void theSpecResolvesToTheFetchedDirectory() throws IOException {
    Map<String, byte[]> files = shardedCheckpoint(5);
    upload("spec/SmolVLM/", files);
    ModelSpec model = new ModelSpec();
    CheckpointSourceSpec checkpoint = new CheckpointSourceSpec();
    checkpoint.setS3("s3://models/spec/SmolVLM/");
    model.setCheckpoint(checkpoint);
    try (S3DatasetFetcher connection = connection(new ByteArrayOutputStream())) {
      S3CheckpointFetcher fetcher = new S3CheckpointFetcher(connection, dir.resolve("cache-spec"));
      Path local = CheckpointDirectories.forLocalRun(Path.of("."), Optional.of(fetcher::fetch)).directory(model)
          .orElseThrow();
      assertEquals(contents(files), contents(local));
      assertTrue(local.startsWith(dir.resolve("cache-spec").resolve(BUCKET)), local.toString());
    }
    assertEquals(Optional.of("SmolVLM"), CheckpointDirectories.baseModelName(model));
  }

  @Test
  void shardNamesAreTheDistinctSortedValuesOfTheWeightMap() throws IOException {
    assertEquals(List.of("a.safetensors", "b.safetensors"), S3CheckpointFetcher.shardNames("k",
        utf8("{\"weight_map\": {\"x\": \"b.safetensors\", \"y\": \"a.safetensors\", \"z\": \"b.safetensors\"}}")));
    IOException notText = assertThrows(IOException.class,
        () -> S3CheckpointFetcher.shardNames("p/index.json", utf8("{\"weight_map\": {\"x\": 3}}")));
    assertEquals("p/index.json: weight_map.x is not a file name", notText.getMessage());
    IOException notJson = assertThrows(IOException.class,
        () -> S3CheckpointFetcher.shardNames("p/index.json", utf8("{weight_map")));
    assertTrue(notJson.getMessage().startsWith("p/index.json: not JSON ("), notJson.getMessage());
    assertFalse(notJson.getMessage().contains("\n"), notJson.getMessage());
  }

  private static Map<String, String> contents(Map<String, byte[]> files) {
    Map<String, String> out = new TreeMap<>();
    files.forEach((name, bytes) -> out.put(name, Checksums.sha256Hex(bytes)));
    return out;
  }

  private static Map<String, String> contents(Path local) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(local)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.put(local.relativize(f).toString(), Checksums.sha256Hex(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  private static Map<Path, FileTime> mtimes(Path local) throws IOException {
    Map<Path, FileTime> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(local)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.put(f, Files.getLastModifiedTime(f));
      }
    }
    return out;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
