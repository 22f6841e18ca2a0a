package io.fedmllm.engine;

import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolException;
import io.fedmllm.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file {@code fedmllm aggregator} and {@code fedmllm trainer} read ({@code --spec}): the federation's
 * configuration and where its data comes from (generated data for now; the YAML manifest of {@code fedmllm local}
 * maps onto the same {@link FederationConfig}).
 */
public record FederationSpec(FederationConfig federation, SyntheticData data) {

  /** Reads a spec file; every problem is a one-line error naming the file. */
  public static FederationSpec read(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("federation spec " + file + " is not a readable file");
    }
    try {
      return ManifestStore.parse(Files.readAllBytes(file), FederationSpec.class, file.toString());
    } catch (ProtocolException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public void write(Path file) throws IOException {
    AtomicFiles.write(file, ManifestStore.toJson(this));
  }
}
