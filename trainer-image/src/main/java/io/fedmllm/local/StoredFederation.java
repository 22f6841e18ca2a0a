package io.fedmllm.local;

import io.fedmllm.protocol.FederationConfig;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.protocol.Generation;
import io.fedmllm.protocol.ManifestStore;
import java.util.Optional;

/**
 * What a run folder's storage holds of its federation, read like any reader does (manifests only, probing, no
 * listing): the newest generation's configuration, the rounds committed and the outcome if the generation ended.
 */
record StoredFederation(FederationConfig config, int committedRounds, Optional<FederationOutcome> outcome) {

  /** Empty when the federation never published {@code federation.json} (stopped before it started). */
  static Optional<StoredFederation> read(ManifestStore store, FederationLayout layout) {
    Optional<FederationConfig> first = store.read(layout.federation(), FederationConfig.class);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Generation generation = Generation.latest(store, layout, first.get());
    return Optional.of(new StoredFederation(generation.config(), committedRounds(store, layout, 0),
        store.read(generation.outcomeKey(layout), FederationOutcome.class)));
  }

  /** Probes {@code round.json} from {@code known} on: the number of rounds committed. */
  static int committedRounds(ManifestStore store, FederationLayout layout, int known) {
    int n = known;
    while (store.exists(layout.roundManifest(n))) {
      n++;
    }
    return n;
  }

  /** Whether there is anything to continue: a committed round, or an outcome the run folder has not written yet. */
  boolean resumable() {
    return committedRounds > 0 || outcome.isPresent();
  }
}
