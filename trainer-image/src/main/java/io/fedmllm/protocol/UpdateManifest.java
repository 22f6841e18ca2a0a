package io.fedmllm.protocol;

import io.fedmllm.api.progress.ObjectRef;

/**
 * A trainer's commit of its update for one round ({@code rounds/NNNNN/updates/CLIENT/update.json}): names the
 * weights object (and SCAFFOLD's control-variate delta, else null) with checksums, plus the training figures.
 */
public record UpdateManifest(
    int round,
    String client,
    long numSamples,
    int steps,
    double meanLoss,
    double samplesPerSecond,
    ObjectRef weights,
    ObjectRef controlDelta) {}
