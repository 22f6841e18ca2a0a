package io.fedmllm.operator.pods;

import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the trainer image's two processes ({@code fedmllm aggregator}, {@code fedmllm trainer}).
 * Both read the rendered manifest (Federation and its clients, the same YAML {@code fedmllm local} reads) from the
 * mounted ConfigMap and find their storage through flags; credentials come only from the environment.
 */
public final class ProcessArguments {

  public static final String MANIFEST_FLAG = "--manifest";
  public static final String DATA_MOUNT_FLAG = "--data-mount";
  public static final String CHECKPOINT_MOUNT_FLAG = "--checkpoint-mount";
  public static final String ROUNDS_FLAG = "--rounds";

  private ProcessArguments() {}

  /**
   * {@code aggregator --manifest ... [--checkpoint-mount /checkpoint] <storage> --metrics-port N}.
   *
   * @param checkpoint the Federation's {@code spec.model.checkpoint}, null when the model is not a checkpoint
   */
  public static List<String> aggregator(StorageLocation storage, int metricsPort, CheckpointSourceSpec checkpoint) {
    List<String> args = new ArrayList<>(List.of("aggregator"));
    args.addAll(common(storage, metricsPort, checkpoint));
    return args;
  }

  /**
   * {@code trainer --client NAME --rounds R --manifest ... <storage> --metrics-port N}. {@code --rounds} is the
   * Federation's spec.rounds: a trainer that finds the federation COMPLETED with fewer rounds waits for the
   * aggregator's continuation instead of exiting (and a changed spec.rounds recreates the trainer pods, so running
   * trainers learn the new total).
   */
  public static List<String> trainer(String client, int rounds, StorageLocation storage, int metricsPort,
      CheckpointSourceSpec checkpoint) {
    List<String> args = new ArrayList<>(List.of("trainer", "--client", client, ROUNDS_FLAG, Integer.toString(rounds)));
    args.addAll(common(storage, metricsPort, checkpoint));
    return args;
  }

  /**
   * The manifest, the data mount, the checkpoint's mount when it is on a volume (the process reads the checkpoint's
   * {@code path} below it, as it reads a data path below the data mount), storage and metrics.
   */
  private static List<String> common(StorageLocation storage, int metricsPort, CheckpointSourceSpec checkpoint) {
    List<String> args = new ArrayList<>();
    args.add(MANIFEST_FLAG);
    args.add(PodBlueprint.CONFIG_MOUNT + "/" + PodBlueprint.MANIFEST_FILE);
    args.add(DATA_MOUNT_FLAG);
    args.add(PodBlueprint.DATA_MOUNT);
    if (PodBlueprint.hasVolume(checkpoint)) {
      args.add(CHECKPOINT_MOUNT_FLAG);
      args.add(PodBlueprint.CHECKPOINT_MOUNT);
    }
    storage.endpoint().ifPresent(e -> {
      args.add("--endpoint");
      args.add(e);
    });
    args.add("--region");
    args.add(storage.region());
    args.add("--bucket");
    args.add(storage.bucket());
    args.add("--prefix");
    args.add(storage.prefix());
    args.add("--metrics-port");
    args.add(Integer.toString(metricsPort));
    return args;
  }
}
