package io.fedmllm.protocol;

import io.fedmllm.strategy.ClientUpdate;
import io.fedmllm.strategy.Rejection;
import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.tensor.TensorMap;

/**
 * Turns a committed update manifest into a {@link ClientUpdate}, or into a typed rejection when the manifest or its
 * data break the protocol: bytes that do not match the manifest's checksum are {@code CHECKSUM_MISMATCH}, anything
 * undecodable or inconsistent is {@code BAD_FORMAT}. Name, shape and value checks are left to the aggregation's
 * validator. Holds one update in memory at a time.
 */
final class UpdateLoader {

  private final ManifestStore manifests;
  private final FederationLayout layout;

  UpdateLoader(ManifestStore manifests, FederationLayout layout) {
    this.manifests = manifests;
    this.layout = layout;
  }

  /** The result of loading one update: exactly one of the two is non-null. */
  record Loaded(UpdateManifest manifest, ClientUpdate update, Rejection rejection) {}

  Loaded load(int round, String client) {
    return load(round, client, null);
  }

  /**
   * @param polled the manifest the aggregator's wait already read (saving a request), or null to read it here
   */
  Loaded load(int round, String client, UpdateManifest polled) {
    String what = "update from client '" + client + "' for round " + round;
    try {
      UpdateManifest m = polled != null ? polled
          : manifests.read(layout.updateManifest(round, client), UpdateManifest.class)
              .orElseThrow(() -> new ProtocolException("manifest vanished"));
      if (m.round() != round || !client.equals(m.client()) || m.weights() == null) {
        return rejected(RejectionReason.BAD_FORMAT, what + ": manifest names round " + m.round() + ", client '"
            + m.client() + "'" + (m.weights() == null ? " and no weights" : ""));
      }
      TensorMap weights = UpdateCodec.decode(manifests.readData(m.weights()), m.weights().key());
      TensorMap control = m.controlDelta() == null ? TensorMap.empty()
          : UpdateCodec.decode(manifests.readData(m.controlDelta()), m.controlDelta().key());
      return new Loaded(m, new ClientUpdate(client, weights, m.numSamples(), control), null);
    } catch (ChecksumMismatchException e) {
      return rejected(RejectionReason.CHECKSUM_MISMATCH, what + ": " + e.getMessage());
    } catch (ProtocolException e) {
      return rejected(RejectionReason.BAD_FORMAT, what + ": " + e.getMessage());
    }
  }

  private static Loaded rejected(RejectionReason reason, String message) {
    return new Loaded(null, null, new Rejection(reason, null, message));
  }
}
