package io.fedmllm.local;

import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.protocol.ProtocolException;
import io.fedmllm.storage.EmbeddedObjectStore;
import io.fedmllm.storage.ObjectStore;
import io.fedmllm.storage.RetryPolicy;
import io.fedmllm.storage.S3ObjectStore;
import io.fedmllm.storage.StorageException;
import io.fedmllm.storage.StorageSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Where a local session's objects live: the run folder's embedded store ({@code storage/}, started for the session),
 * or the external storage the manifest names ({@code spec.storage.endpoint}).
 */
interface RunStorage extends AutoCloseable {

  /** A client of the storage. */
  ObjectStore connect(RetryPolicy retry);

  @Override
  void close();

  static boolean external(StorageSpec spec) {
    return spec != null && spec.getEndpoint() != null;
  }

  /** Starts the folder's embedded store, or names the external one. */
  static RunStorage open(StorageSpec spec, RunFolder folder) throws IOException {
    if (external(spec)) {
      return new RunStorage() {
        @Override
        public ObjectStore connect(RetryPolicy retry) {
          return RunStorage.connectExternal(spec, retry);
        }

        @Override
        public void close() {}
      };
    }
    EmbeddedObjectStore embedded = EmbeddedObjectStore.start(folder.path().resolve("storage"), "fedmllm", 0);
    return new RunStorage() {
      @Override
      public ObjectStore connect(RetryPolicy retry) {
        return embedded.connect(retry);
      }

      @Override
      public void close() {
        embedded.close();
      }
    };
  }

  static S3ObjectStore connectExternal(StorageSpec spec, RetryPolicy retry) {
    return S3ObjectStore.connect(
        new StorageSettings(URI.create(spec.getEndpoint()), spec.getRegion(), spec.getBucket()), retry);
  }

  /** What a candidate folder's storage holds of the federation (nothing when the folder has no storage). */
  static Optional<StoredFederation> inspect(RunFolder folder, StorageSpec spec, FederationLayout layout)
      throws IOException {
    if (!external(spec) && !Files.isDirectory(folder.path().resolve("storage"))) {
      return Optional.empty();
    }
    try (RunStorage storage = open(spec, folder);
        ManifestStore store = new ManifestStore(storage.connect(RetryPolicy.standard()))) {
      return StoredFederation.read(store, layout);
    } catch (ProtocolException | StorageException e) {
      throw new IOException(folder.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * External storage keeps one federation per prefix whatever the run folder: a fresh run there needs a new prefix.
   */
  static void requireNoFederationAt(StorageSpec spec, FederationLayout layout, boolean fresh) {
    if (!fresh || !external(spec)) {
      return;
    }
    try (S3ObjectStore store = connectExternal(spec, RetryPolicy.standard())) {
      if (store.exists(layout.federation())) {
        throw new IllegalArgumentException("--new: " + spec.getBucket() + "/" + layout.prefix() + " (spec.storage) "
            + "already holds this federation; a fresh run needs another spec.storage.prefix");
      }
    }
  }
}
