package io.fedmllm.cli;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.local.LocalFederationRunner;
import io.fedmllm.manifest.FederationSettings;
import io.fedmllm.model.BaseModel;
import io.fedmllm.protocol.RoundManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the federation of a manifest (one Federation and its FederationClients) on this machine. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Run a federation from a Federation/FederationClient manifest on this machine, with an embedded "
        + "object store.")
final class LocalCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "Multi-document YAML: one Federation and its clients.")
  Path manifest;

  @Option(names = "--runs", defaultValue = "runs", description = "Where run folders go (default: ${DEFAULT-VALUE}).")
  Path runs;

  @Option(names = "--poll-millis", defaultValue = "500", description = "Progress refresh (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    Manifest parsed = new ManifestReader().read(manifest);
    boolean interactive = System.console() != null;
    LocalFederationRunner.Result result =
        new LocalFederationRunner(LocalCommand::loadBase, runs, System.out, interactive, Duration.ofMillis(pollMillis))
            .run(parsed);
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

  private static BaseModel loadBase(FederationSettings settings) {
    return BaseSources.obtain(settings.model(), settings.baseWeights());
  }
}
