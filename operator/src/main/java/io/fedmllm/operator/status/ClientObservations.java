package io.fedmllm.operator.status;

import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.v1alpha1.FederationPhase;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a FederationClient's new status is computed from.
 *
 * @param federationPhase empty when the Federation does not exist (or has no status yet)
 * @param suspended whether the Federation is suspended
 * @param backoffActive whether a failed trainer is waiting out its backoff
 */
public record ClientObservations(
    long generation,
    String clientName,
    String namespace,
    String federationName,
    boolean federationFound,
    Optional<FederationPhase> federationPhase,
    boolean suspended,
    PodState trainer,
    boolean backoffActive,
    Optional<FederationProgress> snapshot,
    Instant now) {}
