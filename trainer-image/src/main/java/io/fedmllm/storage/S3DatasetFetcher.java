package io.fedmllm.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedmllm.tensor.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads a user's dataset, every object under an {@code s3://bucket/prefix}, into a folder of the process's cache
 * ({@code $FEDMLLM_CACHE/data/s3/<bucket>/<name>-<hash>/files}; on a pod the writable cache emptyDir), from the
 * federation's storage endpoint and region with the standard credential chain (the pod's storage credentials).
 *
 * <p><b>Listing.</b> The protocol never lists (PROTOCOL.md: a crashed S3Proxy leaves partial objects, some stores list
 * eventually consistently), because every protocol key is computed and a manifest names and checksums what to read. A
 * user's dataset has no manifest of ours: its objects are known only by listing, so listing is the only way here. It
 * is safe enough for this: the dataset is written by its owner before the federation starts, not concurrently with
 * it, and every object is fetched with {@code If-Match} on the listed ETag and checked against the listed size, so a
 * file never mixes two versions of an object. Keys ending in {@code /} (the zero-byte "directory markers" consoles
 * create) are skipped.
 *
 * <p><b>Complete folder.</b> Each file is written to a temporary file next to it and moved into place. Only after the
 * last file, {@value #MARKER} is written (atomically), listing every key with its size and ETag; a folder without it is
 * incomplete. A later fetch (a restarted pod, the next {@code fedmllm local} run) lists the prefix again (one request
 * per 1000 objects) and reuses the folder without downloading a byte when the listing equals the marker and every file
 * has its size; when the dataset changed, only new or changed objects are downloaded, and files no longer listed are
 * removed.
 *
 * <p><b>Bounded.</b> Every request goes through the {@link RetryPolicy} (transient failures retried with backoff for
 * its budget, each attempt bounded). The listed objects may add up to at most a limit ({@value #DEFAULT_LIMIT_TEXT}
 * unless {@code $}{@value #LIMIT_ENV} says otherwise, e.g. {@code 50G}): a larger prefix is refused while listing,
 * before any object is downloaded, and so is one that does not fit in the cache's free space. Errors are one line
 * without the URI (the caller prefixes the field and URI): {@code no objects}, {@code access denied (403 ...)}, ...
 */
public final class S3DatasetFetcher implements AutoCloseable {

  /** The environment variable that raises (or lowers) the size limit: bytes, or with a suffix K, M, G, T. */
  public static final String LIMIT_ENV = "FEDMLLM_S3_DATA_LIMIT";
  /** The default size limit as written in {@value #LIMIT_ENV}. */
  public static final String DEFAULT_LIMIT_TEXT = "20G";
  /** Written last into a dataset's folder: the keys, sizes and ETags of a complete download. */
  public static final String MARKER = "complete.json";

  private static final String FILES = "files";
  private static final int PARALLEL_DOWNLOADS = 4;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final RetryPolicy retry;
  private final Path cacheRoot;
  private final long limitBytes;
  private final PrintStream log;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong downloads = new AtomicLong();
  private final Object fetching = new Object();
  private final Object clientLock = new Object();
  private S3Client client;

  /** An object of the dataset: its key, its path below the prefix, size and ETag as listed. */
  record DatasetObject(String key, String path, long size, String etag) {}

  /** The content of {@value #MARKER}. */
  record CompleteMarker(String uri, String endpoint, long bytes, List<DatasetObject> objects) {}

  /** {@code s3://bucket/prefix} split into its parts; {@code prefix} may be empty (the whole bucket). */
  record S3Location(String bucket, String prefix) {

    static S3Location parse(String uri) throws IOException {
      if (uri == null || !uri.startsWith("s3://")) {
        throw new IOException("not an s3://bucket/prefix URI");
      }
      String rest = uri.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IOException("'" + bucket + "' is not a bucket name");
      }
      return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** The path of {@code key} below the prefix (a folder), or empty for a key beside it ("train2" for "train"). */
    Optional<String> pathOf(String key) {
      if (prefix.isEmpty() || prefix.endsWith("/")) {
        return Optional.of(key.substring(prefix.length()));
      }
      if (key.equals(prefix)) {
        return Optional.of(prefix.substring(prefix.lastIndexOf('/') + 1));
      }
      return key.startsWith(prefix + "/") ? Optional.of(key.substring(prefix.length() + 1)) : Optional.empty();
    }

    /** True when the URI names one object rather than a folder. */
    boolean namesObject(String key) {
      return !prefix.isEmpty() && !prefix.endsWith("/") && key.equals(prefix);
    }
  }

  public S3DatasetFetcher(URI endpoint, String region, AwsCredentialsProvider credentials, RetryPolicy retry,
      Path cacheRoot, long limitBytes, PrintStream log) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.retry = retry;
    this.cacheRoot = cacheRoot;
    this.limitBytes = limitBytes;
    this.log = log;
  }

  /**
   * The fetcher every command uses: the federation's endpoint (null: AWS S3) and region, the standard credential chain,
   * {@link #standardCacheRoot()} and the limit from {@value #LIMIT_ENV}.
   */
  public static S3DatasetFetcher standard(URI endpoint, String region, RetryPolicy retry, PrintStream log) {
    return new S3DatasetFetcher(endpoint, region, DefaultCredentialsProvider.builder().build(), retry,
        standardCacheRoot(), limitFrom(System.getenv()), log);
  }

  /** {@code $FEDMLLM_CACHE/data/s3} (default {@code ~/.cache/fedmllm/data/s3}): the root BaseCache.standard uses. */
  public static Path standardCacheRoot() {
    return fedmllmCache().resolve("data").resolve("s3");
  }

  /** {@code $FEDMLLM_CACHE}, default {@code ~/.cache/fedmllm} (on a pod: the cache emptyDir). */
  static Path fedmllmCache() {
    String env = System.getenv("FEDMLLM_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache",
        "fedmllm");
  }

  /** The size limit {@value #LIMIT_ENV} sets in {@code environment}, or {@value #DEFAULT_LIMIT_TEXT}. */
  public static long limitFrom(Map<String, String> environment) {
    String value = environment.get(LIMIT_ENV);
    try {
      return parseSize(value == null || value.isBlank() ? DEFAULT_LIMIT_TEXT : value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(LIMIT_ENV + ": " + e.getMessage(), e);
    }
  }

  /** Bytes, or a number with a suffix K, M, G or T (powers of 1024; a trailing "B" or "iB" is allowed). */
  public static long parseSize(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    int shift = 0;
    if (!t.isEmpty()) {
      int unit = "KMGT".indexOf(t.charAt(t.length() - 1));
      if (unit >= 0) {
        shift = 10 * (unit + 1);
        t = t.substring(0, t.length() - 1).trim();
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a positive size such as 20G, 512M or 1048576");
    }
  }

  /** The size limit in bytes. */
  long limitBytes() {
    return limitBytes;
  }

  PrintStream log() {
    return log;
  }

  /** Successful S3 requests so far (list pages, HEADs and object downloads). */
  public long requests() {
    return requests.get();
  }

  /** Objects downloaded so far. */
  public long downloads() {
    return downloads.get();
  }

  /**
   * The local copy of the dataset at {@code s3Uri}: the folder holding the objects under the prefix (keys below it
   * become relative paths), or the file when the URI names one object. Downloads what the cache lacks.
   */
  public Path fetch(String s3Uri) throws IOException {
    synchronized (fetching) {
      return fetchLocked(s3Uri);
    }
  }

  private Path fetchLocked(String s3Uri) throws IOException {
    S3Location location = S3Location.parse(s3Uri);
    Path dir = cacheRoot.resolve(location.bucket()).resolve(folderName(location));
    Path files = dir.resolve(FILES);
    Files.createDirectories(dir);
    // Two processes on one machine (fedmllm local's children, a restarted pod overlapping its predecessor) may
    // fetch the same dataset: they take turns, and the second finds the first's complete folder.
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      long started = System.nanoTime();
      List<DatasetObject> objects = list(location);
      if (objects.isEmpty()) {
        throw new IOException("no objects");
      }
      long bytes = objects.stream().mapToLong(DatasetObject::size).sum();
      Path result = objects.size() == 1 && location.namesObject(objects.get(0).key())
          ? files.resolve(objects.get(0).path()) : files;
      CompleteMarker wanted = new CompleteMarker(s3Uri, endpointText(), bytes, objects);
      Optional<CompleteMarker> previous = readMarker(dir);
      if (previous.isPresent() && previous.get().equals(wanted) && allPresent(files, objects)) {
        log.printf(Locale.ROOT, "%s: %d objects, %s: reusing the complete copy in %s%n", s3Uri, objects.size(),
            human(bytes), files);
        return result;
      }
      Files.deleteIfExists(dir.resolve(MARKER));
      Set<DatasetObject> kept = new HashSet<>();
      if (previous.isPresent()) {
        for (DatasetObject o : previous.get().objects()) {
          if (objects.contains(o) && hasSize(files.resolve(o.path()), o.size())) {
            kept.add(o);
          }
        }
      }
      removeUnlisted(files, objects);
      List<DatasetObject> missing = objects.stream().filter(o -> !kept.contains(o)).toList();
      long needed = missing.stream().mapToLong(DatasetObject::size).sum();
      long free = Files.getFileStore(dir).getUsableSpace();
      if (needed > free) {
        throw new IOException("needs " + human(needed) + " in the cache " + dir + ", which has " + human(free)
            + " free");
      }
      downloadAll(location, files, missing);
      AtomicFiles.write(dir.resolve(MARKER), JSON.writeValueAsBytes(wanted));
      log.printf(Locale.ROOT, "%s: %d objects, %s: downloaded %d (%s) in %.1f s to %s%n", s3Uri, objects.size(),
          human(bytes), missing.size(), human(needed), (System.nanoTime() - started) / 1e9, files);
      return result;
    }
  }

  /** The objects under the prefix in key order, without directory markers; refused once over the limit. */
  private List<DatasetObject> list(S3Location location) throws IOException {
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket())
        .prefix(location.prefix()).build();
    Iterator<ListObjectsV2Response> pages = s3().listObjectsV2Paginator(request).iterator();
    List<DatasetObject> objects = new ArrayList<>();
    List<DatasetObject> named = new ArrayList<>();
    long total = 0;
    while (pages.hasNext()) {
      // A failed next() leaves the paginator on the same page, so a retry asks for that page again.
      ListObjectsV2Response page = call(pages::next);
      for (S3Object o : page.contents()) {
        Optional<String> path = location.pathOf(o.key());
        if (o.key().endsWith("/") || path.isEmpty()) {
          continue;
        }
        checkSafe(o.key(), path.get());
        DatasetObject object = new DatasetObject(o.key(), path.get(), o.size(), o.eTag());
        (location.namesObject(o.key()) ? named : objects).add(object);
        total += o.size();
        if (total > limitBytes) {
          throw new IOException("the objects under it add up to more than the limit of " + human(limitBytes)
              + " (" + human(total) + " after " + (objects.size() + named.size()) + " objects); raise " + LIMIT_ENV
              + " (e.g. " + LIMIT_ENV + "=50G) or narrow the prefix");
        }
      }
    }
    // s3://b/data/train.jsonl names one object, unless data/train.jsonl/ is a folder of its own.
    return objects.isEmpty() ? named : objects;
  }

  /** Downloads {@code objects} below {@code files}, a few at a time (also used by {@link S3CheckpointFetcher}). */
  void downloadAll(S3Location location, Path files, List<DatasetObject> objects) throws IOException {
    if (objects.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_DOWNLOADS, objects.size()), r -> {
      Thread t = new Thread(r, "s3-dataset-download");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (DatasetObject o : objects) {
        done.add(pool.submit(() -> {
          download(location.bucket(), o, files.resolve(o.path()));
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One object to a temporary file beside its target, moved into place once its size is checked. */
  private void download(String bucket, DatasetObject o, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    try {
      long written;
      try {
        written = call(() -> {
          try (ResponseInputStream<GetObjectResponse> in = s3().getObject(b -> b.bucket(bucket).key(o.key())
                  .ifMatch(o.etag()));
              OutputStream out = Files.newOutputStream(tmp)) {
            return copy(in, out, o.size());
          } catch (IOException e) {
            // The connection broke while reading the body: a transient failure like any other.
            throw SdkClientException.create("reading the body: " + e.getMessage(), e);
          }
        });
      } catch (IOException e) {
        throw new IOException(o.key() + ": " + e.getMessage(), e);
      }
      if (written != o.size()) {
        throw new IOException(o.key() + ": got " + written + " bytes, listed " + o.size());
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      downloads.incrementAndGet();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Copies at most one byte more than {@code size}, so an object that grew is noticed without reading all of it. */
  private static long copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while (total <= size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size + 1 - total))) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  interface Attempt<T> {
    T run();
  }

  /** One request through the retry policy; failures become one-line IOExceptions (the SdkException as cause). */
  <T> T call(Attempt<T> attempt) throws IOException {
    long deadline = System.nanoTime() + retry.totalBudget().toNanos();
    for (int n = 1; ; n++) {
      try {
        T result = attempt.run();
        requests.incrementAndGet();
        return result;
      } catch (SdkException e) {
        boolean transientFailure = S3ObjectStore.isTransient(e);
        long waitNanos = retry.backoff(n).toNanos();
        if (!transientFailure || System.nanoTime() + waitNanos > deadline) {
          throw new IOException(describe(e) + (transientFailure ? " (gave up after " + n + " attempts in "
              + retry.totalBudget().toSeconds() + " s)" : ""), e);
        }
        try {
          Thread.sleep(waitNanos / 1_000_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting to retry", ie);
        }
      }
    }
  }

  static String describe(SdkException e) {
    if (e instanceof S3Exception s) {
      String detail = s.awsErrorDetails() == null ? String.valueOf(s.statusCode())
          : s.statusCode() + " " + s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
      detail = detail.replace('\n', ' ');
      String code = s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().errorCode());
      if (s.statusCode() == 403) {
        return "access denied (" + detail + ")";
      }
      if (code.equals("NoSuchBucket")) {
        return "no such bucket (" + detail + ")";
      }
      if (s.statusCode() == 412) {
        return "an object changed while it was downloaded (" + detail + "); try again";
      }
      return detail;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
  }

  S3Client s3() {
    synchronized (clientLock) {
      return client != null ? client : (client = newClient());
    }
  }

  private S3Client newClient() {
    // S3ObjectStore's configuration without its whole-call timeout: a dataset object may take longer than one attempt
    // bound to stream, and each attempt is still bounded.
    return S3Clients.builder(endpoint, region, credentials, retry).build();
  }

  /** A key whose path would leave the folder ({@code ..}, empty segments) is refused rather than written. */
  static void checkSafe(String key, String path) throws IOException {
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        throw new IOException("key '" + key + "' cannot be stored as a file (empty, '.' or '..' path segment)");
      }
    }
  }

  private static boolean allPresent(Path files, List<DatasetObject> objects) {
    return objects.stream().allMatch(o -> hasSize(files.resolve(o.path()), o.size()));
  }

  static boolean hasSize(Path file, long size) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes files (and leftover temporary files) that the listing no longer names. */
  private static void removeUnlisted(Path files, List<DatasetObject> objects) throws IOException {
    if (!Files.isDirectory(files)) {
      return;
    }
    Set<Path> listed = new HashSet<>();
    objects.forEach(o -> listed.add(files.resolve(o.path())));
    try (Stream<Path> walk = Files.walk(files)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (!listed.contains(p)) {
          Files.delete(p);
        }
      }
    }
  }

  static Optional<CompleteMarker> readMarker(Path dir) {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(marker.toFile(), CompleteMarker.class));
    } catch (IOException e) {
      return Optional.empty(); // unreadable: treated as incomplete and replaced
    }
  }

  String endpointText() {
    return endpoint == null ? "aws:" + region : endpoint.toString();
  }

  /** The prefix's last segment (readable) and a hash of endpoint, bucket and prefix (unique). */
  String folderName(S3Location location) {
    String p = location.prefix().replaceAll("/+$", "");
    String last = p.substring(p.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    String hash = Checksums.sha256Hex((endpointText() + "\n" + location.bucket() + "\n" + location.prefix())
        .getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return (last.isEmpty() || last.startsWith(".") ? "" : last + "-") + hash;
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
    return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (10 * unit)), " KMGTPE".charAt(unit));
  }

  @Override
  public void close() {
    synchronized (clientLock) {
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }
}
