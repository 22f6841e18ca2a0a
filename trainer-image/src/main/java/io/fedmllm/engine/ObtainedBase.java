package io.fedmllm.engine;

import io.fedmllm.hf.CheckpointManifest;
import io.fedmllm.hf.HfFoundation;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.FoundationModel;
import io.fedmllm.protocol.BaseManifest;
import io.fedmllm.protocol.PublishedCheckpoint;
import io.fedmllm.protocol.SharedBase;
import io.fedmllm.storage.Checksums;

/**
 * A base a process obtained itself (the aggregator, or {@code fedmllm local}), with how it is published to the
 * federation's storage: a built-in base's weights go there, a checkpoint's file record does (its bytes stay in the
 * checkpoint directory every process reads). {@link #identity} equals {@link BaseManifest#identity} of the manifest
 * {@link #publish} commits.
 */
public sealed interface ObtainedBase extends AutoCloseable {

  FoundationModel model();

  String identity();

  /** Publishes unless a base is committed; returns the committed manifest (this one or another aggregator's). */
  BaseManifest publish(SharedBase shared, String origin);

  /** The checkpoint directory this base was loaded from, when it is a checkpoint. */
  java.util.Optional<java.nio.file.Path> checkpointDir();

  @Override
  void close();

  static ObtainedBase builtIn(BaseModel base) {
    return new BuiltIn(base);
  }

  /**
   * @param files the record of the directory {@code base} was loaded from, taken before loading it
   */
  static ObtainedBase checkpoint(HfFoundation base, String name, CheckpointManifest files) {
    return new Checkpoint(base, new PublishedCheckpoint(name, base.config().family().name(), files));
  }

  /** The built-in base: its weights, encoded deterministically, are what storage holds. */
  final class BuiltIn implements ObtainedBase {
    private final BaseModel base;
    private byte[] bytes;

    private BuiltIn(BaseModel base) {
      this.base = base;
    }

    private byte[] bytes() {
      if (bytes == null) {
        bytes = base.encode();
      }
      return bytes;
    }

    @Override
    public FoundationModel model() {
      return base;
    }

    @Override
    public String identity() {
      return Checksums.sha256Hex(bytes());
    }

    @Override
    public BaseManifest publish(SharedBase shared, String origin) {
      return shared.publish(bytes(), base.config(), base.tokenizer().sha256(), base.lm().parameterCount(), origin);
    }

    @Override
    public java.util.Optional<java.nio.file.Path> checkpointDir() {
      return java.util.Optional.empty();
    }

    @Override
    public void close() {
      base.close();
    }
  }

  /** A Hugging Face checkpoint: storage holds the record of its files. */
  record Checkpoint(HfFoundation base, PublishedCheckpoint record) implements ObtainedBase {
    @Override
    public FoundationModel model() {
      return base;
    }

    @Override
    public String identity() {
      return BaseManifest.checkpointIdentity(record.files());
    }

    @Override
    public BaseManifest publish(SharedBase shared, String origin) {
      return shared.publishCheckpoint(record, base.parameters(), origin);
    }

    @Override
    public java.util.Optional<java.nio.file.Path> checkpointDir() {
      return java.util.Optional.of(base.dir());
    }

    @Override
    public void close() {
      base.close();
    }
  }
}
