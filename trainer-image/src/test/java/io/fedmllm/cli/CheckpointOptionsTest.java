package io.fedmllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.storage.S3DatasetFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Both pod processes take the --checkpoint-mount the operator passes and read the checkpoint's path below it. */
class CheckpointOptionsTest {

  @TempDir Path dir;

  private static final List<String> STORAGE = List.of("--manifest", "/etc/fedmllm/federation.yaml", "--data-mount",
      "/data", "--checkpoint-mount", "/mnt/ckpt", "--region", "us-east-1", "--bucket", "fedmllm", "--prefix", "ml/x");

  @Test
  void theAggregatorAndTheTrainerAcceptTheOperatorsCheckpointMount() {
    AggregatorCommand aggregator = new AggregatorCommand();
    new CommandLine(aggregator).parseArgs(STORAGE.toArray(String[]::new));
    assertEquals(Path.of("/mnt/ckpt"), aggregator.checkpoint.checkpointMount);

    TrainerCommand trainer = new TrainerCommand();
    List<String> args = new ArrayList<>(List.of("--client", "hospital-a", "--rounds", "3"));
    args.addAll(STORAGE);
    new CommandLine(trainer).parseArgs(args.toArray(String[]::new));
    assertEquals(Path.of("/mnt/ckpt"), trainer.checkpoint.checkpointMount);

    TrainerCommand withoutFlag = new TrainerCommand();
    new CommandLine(withoutFlag).parseArgs("--client", "c", "--manifest", "m.yaml", "--bucket", "b", "--prefix", "p");
    assertEquals(Path.of("/checkpoint"), withoutFlag.checkpoint.checkpointMount);
  }

  @Test
  void theCheckpointsPathIsReadBelowTheMount() throws Exception {
    Path checkpoint = dir.resolve("SmolVLM-256M-Instruct");
    Files.createDirectories(checkpoint);
    Files.writeString(checkpoint.resolve("config.json"), "{}");
    CheckpointOptions options = new CheckpointOptions();
    new CommandLine(options).parseArgs("--checkpoint-mount", dir.toString());
    VolumeSpec claim = new VolumeSpec();
    claim.setPersistentVolumeClaim("smolvlm-256m");
    CheckpointSourceSpec source = new CheckpointSourceSpec();
    source.setPath("SmolVLM-256M-Instruct");
    source.setVolume(claim);
    ModelSpec model = new ModelSpec();
    model.setCheckpoint(source);
    try (S3DatasetFetcher connection = S3DatasetFetcher.standard(null, "us-east-1",
        RetryPolicy.standard(), System.out)) {
      assertEquals(Optional.of(checkpoint), options.directory(model, connection));
    }
  }
}
