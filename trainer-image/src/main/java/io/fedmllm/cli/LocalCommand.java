package io.fedmllm.cli;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.local.LocalFederationRunner;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.engine.ObtainedBase;
import java.util.Optional;
import io.fedmllm.api.progress.RoundManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the federation of a manifest (one Federation and its FederationClients) on this machine, continuing its newest
 * interrupted run when there is one.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Run a federation from a Federation/FederationClient manifest on this machine, with an embedded "
        + "object store. An interrupted run (Ctrl-C, or the process killed) of the same federation with a compatible "
        + "manifest is continued from its last committed round; --new starts a fresh one.")
final class LocalCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "MANIFEST",
      description = "Multi-document YAML: one Federation and its clients (with --resume: default the run's own).")
  Path manifest;

  @Option(names = "--resume", paramLabel = "RUN_DIR",
      description = "Continue this interrupted run folder from its last committed round.")
  Path resume;

  @Option(names = "--new", description = "Start a fresh run even if an interrupted run of the federation exists.")
  boolean fresh;

  @Option(names = "--runs", defaultValue = "runs", description = "Where run folders go (default: ${DEFAULT-VALUE}).")
  Path runs;

  @Option(names = "--poll-millis", defaultValue = "500", description = "Progress refresh (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    if (fresh && resume != null) {
      throw new IllegalArgumentException("--new and --resume exclude each other");
    }
    Path source = manifest;
    if (source == null) {
      if (resume == null) {
        throw new IllegalArgumentException("missing MANIFEST (or --resume RUN_DIR)");
      }
      source = LocalFederationRunner.manifestOf(resume).orElseThrow(() -> new IllegalArgumentException(
          "--resume " + resume + ": the folder has no run.json naming its manifest; give it: fedmllm local MANIFEST "
              + "--resume " + resume));
    }
    Manifest parsed = new ManifestReader().read(source);
    boolean interactive = System.console() != null;
    LocalFederationRunner.RunChoice choice = resume != null ? LocalFederationRunner.RunChoice.resume(resume)
        : fresh ? LocalFederationRunner.RunChoice.startFresh() : LocalFederationRunner.RunChoice.latest();
    String launcher = System.getenv().getOrDefault("FEDMLLM_LAUNCHER", "fedmllm");
    LocalFederationRunner.Result result = new LocalFederationRunner(LocalCommand::loadBase, runs, System.out,
        interactive, Duration.ofMillis(pollMillis), launcher).run(parsed, choice);
    var history = result.status().history();
    if (!result.outcome().completed()) {
      System.err.println("fedmllm: federation " + result.outcome().phase() + ": " + result.outcome().message());
      return 1;
    }
    RoundManifest last = history.get(history.size() - 1);
    System.out.printf(Locale.ROOT, "final %s %.4f (zero-shot %.4f) after %d rounds; adapter, metrics.csv, "
            + "summary.json and metric.png in %s%n",
        last.evaluation().metricName(), last.evaluation().metric(), result.status().zeroShot().metric(),
        history.size(), result.folder().path());
    return 0;
  }

  private static ObtainedBase loadBase(FederationSettings settings, Optional<Path> checkpointDir) {
    return BaseSources.obtain(settings.model(), settings.baseWeights(), checkpointDir, ai.djl.Device.cpu(),
        settings.baseDtype());
  }
}
