package io.fedmllm.local;

import io.fedmllm.protocol.ConfigChange;
import io.fedmllm.protocol.FederationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the run folder a {@code fedmllm local} session continues. A folder is <b>interrupted</b> when no session
 * holds it, its {@code run.json} does not say COMPLETED or FAILED (a SIGKILLed session leaves RUNNING; a folder of
 * an older version has no record at all), and its storage holds something to continue: committed rounds, or an
 * outcome the folder's files were not written for. It is <b>compatible</b> when the manifest's configuration is the
 * stored one or raises its rounds ({@link ConfigChange}): anything else would change what the committed rounds mean.
 */
final class ResumableRuns {

  /** A folder to continue, held for this session, and what its storage holds. */
  record Found(RunFolder folder, RunFolder.Lock lock, Optional<RunRecord> record, StoredFederation stored) {}

  /** Reads what a folder's storage holds (its embedded store, or the manifest's external storage). */
  @FunctionalInterface
  interface Inspector {
    Optional<StoredFederation> inspect(RunFolder folder) throws IOException;
  }

  private ResumableRuns() {}

  /**
   * The newest interrupted run of {@code federation} under {@code runsRoot} whose configuration is compatible.
   * Folders are searched newest first, up to the newest run that ended (older ones were superseded by it).
   *
   * @param fresh the command that starts a fresh run instead, named in the refusal
   * @throws IOException when there are interrupted runs but none is compatible: names the fields that differ in the
   *     newest of them
   */
  static Optional<Found> latest(Path runsRoot, String federation, FederationConfig requested, Inspector inspector,
      String fresh) throws IOException {
    Found firstIncompatible = null;
    ConfigChange firstChange = null;
    for (RunFolder folder : newestFirst(runsRoot, federation)) {
      Optional<RunRecord> record = folder.record();
      if (record.isPresent() && record.get().state().ended()) {
        break;
      }
      Optional<RunFolder.Lock> lock = folder.tryLock();
      if (lock.isEmpty()) {
        continue;
      }
      Optional<StoredFederation> stored = inspector.inspect(folder);
      if (stored.isEmpty() || !stored.get().resumable()) {
        lock.get().close();
        continue;
      }
      Found found = new Found(folder, lock.get(), record, stored.get());
      ConfigChange change = ConfigChange.between(stored.get().config(), requested);
      if (compatible(change)) {
        if (firstIncompatible != null) {
          firstIncompatible.lock().close();
        }
        return Optional.of(found);
      }
      if (firstIncompatible == null) {
        firstIncompatible = found;
        firstChange = change;
      } else {
        lock.get().close();
      }
    }
    if (firstIncompatible != null) {
      firstIncompatible.lock().close();
      throw new IOException(incompatible(firstIncompatible, firstChange, fresh));
    }
    return Optional.empty();
  }

  /**
   * The folder {@code --resume} names.
   *
   * @throws IOException when it is not a run folder with something to continue, another session holds it, it ended,
   *     or the configuration is not compatible
   */
  static Found named(Path dir, String federation, FederationConfig requested, Inspector inspector, String fresh)
      throws IOException {
    if (!Files.isDirectory(dir.resolve("logs"))) {
      throw new IOException("--resume " + dir + ": not a run folder of fedmllm local (it has no logs/)");
    }
    RunFolder folder = new RunFolder(dir);
    Optional<RunRecord> record = folder.record();
    if (record.isPresent() && !record.get().federation().equals(federation)) {
      throw new IOException("--resume " + dir + ": a run of federation " + record.get().federation()
          + ", not of the manifest's " + federation);
    }
    if (record.isPresent() && record.get().state().ended()) {
      throw new IOException("--resume " + dir + ": the run " + record.get().state() + " after "
          + record.get().roundsCommitted() + " rounds; nothing to resume");
    }
    RunFolder.Lock lock = folder.tryLock().orElseThrow(() -> new IOException("--resume " + dir
        + ": another fedmllm local session is running in this folder"));
    Optional<StoredFederation> stored = inspector.inspect(folder);
    if (stored.isEmpty() || !stored.get().resumable()) {
      lock.close();
      throw new IOException("--resume " + dir + ": no round was committed there; nothing to resume (" + fresh
          + " starts the federation)");
    }
    Found found = new Found(folder, lock, record, stored.get());
    ConfigChange change = ConfigChange.between(stored.get().config(), requested);
    if (!compatible(change)) {
      lock.close();
      throw new IOException(incompatible(found, change, fresh));
    }
    return found;
  }

  private static boolean compatible(ConfigChange change) {
    return change.kind() == ConfigChange.Kind.SAME || change.kind() == ConfigChange.Kind.RAISE;
  }

  private static String incompatible(Found found, ConfigChange change, String fresh) {
    String fields = change.kind() == ConfigChange.Kind.LOWER
        ? "rounds (" + found.stored().config().rounds() + " lowered; committed rounds are immutable)"
        : String.join(", ", change.differences());
    return found.folder().path() + ": the interrupted run (" + found.stored().committedRounds() + " of "
        + found.stored().config().rounds() + " rounds committed) has another configuration: the manifest differs in "
        + fields + ", which would change what its committed rounds mean; restore the manifest to resume it, or "
        + "start fresh with: " + fresh;
  }

  /** Folders {@code <federation>-<yyyyMMdd-HHmmss>[-N]} under {@code runsRoot}, newest first. */
  static List<RunFolder> newestFirst(Path runsRoot, String federation) throws IOException {
    if (!Files.isDirectory(runsRoot)) {
      return List.of();
    }
    Pattern name = Pattern.compile(Pattern.quote(federation) + "-(\\d{8}-\\d{6})(?:-(\\d{1,6}))?");
    record Named(Path dir, String started, int n) {}
    List<Named> runs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsRoot)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Matcher m = name.matcher(dir.getFileName().toString());
        if (m.matches()) {
          runs.add(new Named(dir, m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2))));
        }
      }
    }
    runs.sort(Comparator.comparing(Named::started).thenComparingInt(Named::n).reversed());
    return runs.stream().map(r -> new RunFolder(r.dir())).toList();
  }
}
