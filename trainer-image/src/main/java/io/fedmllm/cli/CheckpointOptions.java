package io.fedmllm.cli;

import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.manifest.CheckpointDirectories;
import io.fedmllm.storage.S3CheckpointFetcher;
import io.fedmllm.storage.S3DatasetFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the pod finds {@code spec.model.checkpoint}: the operator mounts its volume at {@code --checkpoint-mount}
 * (and passes the flag only then); an {@code s3} checkpoint is fetched into the cache from the federation's storage
 * endpoint.
 */
final class CheckpointOptions {

  @Option(names = "--checkpoint-mount", defaultValue = "/checkpoint",
      description = "Where spec.model.checkpoint's volume is mounted, with --manifest (default: ${DEFAULT-VALUE}).")
  Path checkpointMount;

  /**
   * The checkpoint directory of {@code model} in this pod, empty for a preset or base weights.
   *
   * @param connection the storage connection an {@code s3} checkpoint is fetched through (the caller closes it)
   * @throws IOException starting with the field, e.g. {@code spec.model.checkpoint.path: ... does not exist}
   */
  Optional<Path> directory(ModelSpec model, S3DatasetFetcher connection) throws IOException {
    S3CheckpointFetcher fetcher = S3CheckpointFetcher.standard(connection);
    return CheckpointDirectories.inPod(checkpointMount, Optional.of(fetcher::fetch)).directory(model);
  }
}
