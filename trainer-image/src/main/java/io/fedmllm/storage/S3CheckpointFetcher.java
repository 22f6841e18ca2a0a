package io.fedmllm.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedmllm.storage.S3DatasetFetcher.CompleteMarker;
import io.fedmllm.storage.S3DatasetFetcher.DatasetObject;
import io.fedmllm.storage.S3DatasetFetcher.S3Location;
import io.fedmllm.tensor.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fetches a Hugging Face checkpoint directory under {@code s3://bucket/prefix/} into the process's cache
 * ({@code $FEDMLLM_CACHE/checkpoints/s3/<bucket>/<last prefix segment>-<hash>/files}), through the connection,
 * retry policy and size limit of an {@link S3DatasetFetcher}.
 *
 * <p><b>No listing.</b> Unlike a dataset, a checkpoint's files are known by name, so nothing is listed (a crashed
 * S3Proxy leaves partial {@code <key>-<uuid>} objects that a listing would pick up): {@value #CONFIG} is required;
 * {@value #INDEX} when present names the shards in its {@code weight_map}, otherwise {@value #SINGLE_FILE} is the
 * weights; {@link #REQUIRED_FILES} must exist and {@link #OPTIONAL_FILES} are taken when they do (a 404 means absent).
 * Each file is asked for with HEAD (size and ETag) and downloaded with {@code If-Match} on that ETag and checked
 * against that size, so no file mixes two versions of an object.
 *
 * <p><b>Complete folder.</b> A download goes into a staging folder beside {@code files}; files whose key, size and
 * ETag equal the previous complete copy's are hard-linked (or copied) from it instead of downloaded. The staging
 * folder is then renamed into place and {@value S3DatasetFetcher#MARKER} (URI, endpoint, every key with its size and
 * ETag) written last. A later fetch whose HEADs equal the marker, with every file at its size, downloads nothing.
 * Processes sharing a cache take turns (a file lock). Errors are one line naming the key, without the URI (the caller
 * prefixes the field and URI).
 */
public final class S3CheckpointFetcher {

  public static final String CONFIG = "config.json";
  public static final String INDEX = "model.safetensors.index.json";
  public static final String SINGLE_FILE = "model.safetensors";
  /** Besides config.json and the weights, what every checkpoint directory must hold. */
  public static final List<String> REQUIRED_FILES = List.of("tokenizer.json", "tokenizer_config.json");
  /** Fetched when present: chat templates, image processor and processor configs, generation defaults. */
  public static final List<String> OPTIONAL_FILES = List.of("chat_template.json", "chat_template.jinja",
      "preprocessor_config.json", "processor_config.json", "generation_config.json");

  /** A real index maps a few thousand tensor names: tens of KiB. */
  private static final long MAX_INDEX_BYTES = 64L << 20;
  private static final String FILES = "files";
  private static final String STAGING = ".staging-";
  private static final String REPLACED = ".replaced-";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final S3DatasetFetcher connection;
  private final Path cacheRoot;
  /** One fetch at a time in this JVM: two FileLocks on one file from one JVM would throw instead of waiting. */
  private static final Object FETCHING = new Object();

  /**
   * @param connection its endpoint, credentials, retry policy, size limit and log are used (and its request and
   *     download counters count this fetcher's requests too); the caller closes it
   */
  public S3CheckpointFetcher(S3DatasetFetcher connection, Path cacheRoot) {
    this.connection = connection;
    this.cacheRoot = cacheRoot;
  }

  /** With the cache root {@link #standardCacheRoot()}. */
  public static S3CheckpointFetcher standard(S3DatasetFetcher connection) {
    return new S3CheckpointFetcher(connection, standardCacheRoot());
  }

  /** {@code $FEDMLLM_CACHE/checkpoints/s3} (default {@code ~/.cache/fedmllm/checkpoints/s3}). */
  public static Path standardCacheRoot() {
    return S3DatasetFetcher.fedmllmCache().resolve("checkpoints").resolve("s3");
  }

  /** The local checkpoint directory of {@code s3Uri} ({@code s3://bucket/prefix/}); downloads what the cache lacks. */
  public Path fetch(String s3Uri) throws IOException {
    synchronized (FETCHING) {
      S3Location parsed = S3Location.parse(s3Uri);
      S3Location location = new S3Location(parsed.bucket(), parsed.prefix().replaceAll("/+$", ""));
      // s3://b/p and s3://b/p/ are one checkpoint: one folder, one marker.
      String canonical = "s3://" + location.bucket() + "/" + location.prefix() + (location.prefix().isEmpty() ? ""
          : "/");
      Path dir = cacheRoot.resolve(location.bucket()).resolve(connection.folderName(location));
      Files.createDirectories(dir);
      try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        return fetchLocked(canonical, location, dir);
      }
    }
  }

  private Path fetchLocked(String s3Uri, S3Location location, Path dir) throws IOException {
    long started = System.nanoTime();
    Path files = dir.resolve(FILES);
    removeLeftovers(dir);
    Optional<CompleteMarker> previous = S3DatasetFetcher.readMarker(dir)
        .filter(m -> m.uri().equals(s3Uri) && m.endpoint().equals(connection.endpointText()));
    List<DatasetObject> objects = resolveObjects(location, files, previous);
    long bytes = objects.stream().mapToLong(DatasetObject::size).sum();
    if (bytes > connection.limitBytes()) {
      throw new IOException("the checkpoint's files add up to " + S3DatasetFetcher.human(bytes) + ", more than the"
          + " limit of " + S3DatasetFetcher.human(connection.limitBytes()) + "; raise " + S3DatasetFetcher.LIMIT_ENV
          + " (e.g. " + S3DatasetFetcher.LIMIT_ENV + "=50G)");
    }
    CompleteMarker wanted = new CompleteMarker(s3Uri, connection.endpointText(), bytes, objects);
    if (previous.isPresent() && previous.get().equals(wanted) && objects.stream()
        .allMatch(o -> S3DatasetFetcher.hasSize(files.resolve(o.path()), o.size()))) {
      connection.log().printf(Locale.ROOT, "%s: checkpoint of %d files, %s: reusing the complete copy in %s%n",
          s3Uri, objects.size(), S3DatasetFetcher.human(bytes), files);
      return files;
    }
    Path staging = dir.resolve(STAGING + UUID.randomUUID());
    Files.createDirectories(staging);
    List<DatasetObject> missing = new ArrayList<>();
    for (DatasetObject o : objects) {
      if (!(previous.isPresent() && previous.get().objects().contains(o) && reuse(files, staging, o))) {
        missing.add(o);
      }
    }
    long needed = missing.stream().mapToLong(DatasetObject::size).sum();
    long free = Files.getFileStore(dir).getUsableSpace();
    if (needed > free) {
      deleteTree(staging);
      throw new IOException("the checkpoint needs " + S3DatasetFetcher.human(needed) + " in the cache " + dir
          + ", which has " + S3DatasetFetcher.human(free) + " free");
    }
    try {
      connection.downloadAll(location, staging, missing);
    } catch (IOException e) {
      deleteTree(staging);
      throw e;
    }
    Files.deleteIfExists(dir.resolve(S3DatasetFetcher.MARKER));
    Path replaced = dir.resolve(REPLACED + UUID.randomUUID());
    if (Files.exists(files)) {
      move(files, replaced);
    }
    move(staging, files);
    AtomicFiles.write(dir.resolve(S3DatasetFetcher.MARKER), JSON.writeValueAsBytes(wanted));
    deleteTree(replaced);
    connection.log().printf(Locale.ROOT, "%s: checkpoint of %d files, %s: downloaded %d (%s) in %.1f s to %s%n",
        s3Uri, objects.size(), S3DatasetFetcher.human(bytes), missing.size(), S3DatasetFetcher.human(needed),
        (System.nanoTime() - started) / 1e9, files);
    return files;
  }

  /**
   * The checkpoint's files as they are in the bucket now: config.json, the weights (the index and its shards, or
   * the single file), the required and the present optional files, in that order.
   */
  private List<DatasetObject> resolveObjects(S3Location location, Path files, Optional<CompleteMarker> previous)
      throws IOException {
    List<DatasetObject> objects = new ArrayList<>();
    objects.add(required(location, CONFIG, "a checkpoint directory holds config.json"));
    Optional<DatasetObject> index = head(location, INDEX);
    if (index.isPresent()) {
      objects.add(index.get());
      byte[] indexBytes = readIndex(location, index.get(), files, previous);
      for (String shard : shardNames(index.get().key(), indexBytes)) {
        objects.add(required(location, shard, INDEX + "'s weight_map names it"));
      }
    } else {
      String key = keyOf(location, SINGLE_FILE);
      objects.add(head(location, SINGLE_FILE).orElseThrow(() -> new IOException(key + ": no such object, and "
          + keyOf(location, INDEX) + " does not exist either: a checkpoint directory holds " + SINGLE_FILE + " or "
          + INDEX + " with its shards")));
    }
    for (String name : REQUIRED_FILES) {
      objects.add(required(location, name, "a checkpoint directory holds " + String.join(" and ", REQUIRED_FILES)));
    }
    for (String name : OPTIONAL_FILES) {
      head(location, name).ifPresent(objects::add);
    }
    return objects;
  }

  private DatasetObject required(S3Location location, String name, String why) throws IOException {
    String key = keyOf(location, name);
    return head(location, name).orElseThrow(() -> new IOException(key + ": no such object (" + why + ")"));
  }

  /** HEAD of the file {@code name} below the prefix: its size and ETag, or empty on 404. */
  private Optional<DatasetObject> head(S3Location location, String name) throws IOException {
    String key = keyOf(location, name);
    S3DatasetFetcher.checkSafe(key, name);
    try {
      HeadObjectResponse head = connection.call(() -> connection.s3().headObject(b -> b.bucket(location.bucket())
          .key(key)));
      return Optional.of(new DatasetObject(key, name, head.contentLength(), head.eTag()));
    } catch (IOException e) {
      if (e.getCause() instanceof S3Exception s && s.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException(key + ": " + e.getMessage(), e);
    }
  }

  /** The index's bytes: the previous complete copy's file when it is the same object, otherwise downloaded. */
  private byte[] readIndex(S3Location location, DatasetObject index, Path files, Optional<CompleteMarker> previous)
      throws IOException {
    Path local = files.resolve(index.path());
    if (previous.isPresent() && previous.get().objects().contains(index)
        && S3DatasetFetcher.hasSize(local, index.size())) {
      return Files.readAllBytes(local);
    }
    if (index.size() > MAX_INDEX_BYTES) {
      throw new IOException(index.key() + ": " + S3DatasetFetcher.human(index.size()) + " is too large for a"
          + " safetensors index (at most " + S3DatasetFetcher.human(MAX_INDEX_BYTES) + ")");
    }
    byte[] bytes;
    try {
      bytes = connection.call(() -> {
        try (ResponseInputStream<GetObjectResponse> in = connection.s3().getObject(b -> b.bucket(location.bucket())
            .key(index.key()).ifMatch(index.etag()))) {
          return readAtMost(in, index.size());
        } catch (IOException e) {
          throw SdkClientException.create("reading the body: " + e.getMessage(), e);
        }
      });
    } catch (IOException e) {
      throw new IOException(index.key() + ": " + e.getMessage(), e);
    }
    if (bytes.length != index.size()) {
      throw new IOException(index.key() + ": got " + bytes.length + " bytes, HEAD said " + index.size());
    }
    return bytes;
  }

  /** The distinct file names of the index's weight_map, sorted; each a file below the prefix. */
  static List<String> shardNames(String indexKey, byte[] index) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(index);
    } catch (IOException e) {
      throw new IOException(indexKey + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new IOException(indexKey + ": no weight_map object naming the shards");
    }
    TreeSet<String> shards = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual() || entry.getValue().asText().isEmpty()) {
        throw new IOException(indexKey + ": weight_map." + entry.getKey() + " is not a file name");
      }
      shards.add(entry.getValue().asText());
    }
    return List.copyOf(shards);
  }

  private static byte[] readAtMost(InputStream in, long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while (total <= size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size + 1 - total))) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return out.toByteArray();
  }

  /** Links (or copies) an unchanged file of the previous copy into the staging folder; false when it is not there. */
  private static boolean reuse(Path files, Path staging, DatasetObject o) throws IOException {
    Path source = files.resolve(o.path());
    if (!S3DatasetFetcher.hasSize(source, o.size())) {
      return false;
    }
    Path target = staging.resolve(o.path());
    Files.createDirectories(target.getParent());
    try {
      Files.createLink(target, source);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return true;
  }

  private static String keyOf(S3Location location, String name) {
    return location.prefix().isEmpty() ? name : location.prefix() + "/" + name;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Staging and replaced folders a killed fetch left behind. */
  private static void removeLeftovers(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(STAGING) || name.startsWith(REPLACED)) {
          deleteTree(p);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
