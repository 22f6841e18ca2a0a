package io.fedmllm.operator.client;

import io.fedmllm.operator.api.v1alpha1.FederationClient;
import io.fedmllm.operator.pods.PodsWanted;

/** {@link PodsWanted} for a trainer pod. */
public class TrainerWanted extends PodsWanted<FederationClient> {}
