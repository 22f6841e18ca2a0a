package io.fedmllm.operator.federation;

import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.pods.PodsWanted;

/** {@link PodsWanted} for the aggregator pod. */
public class AggregatorWanted extends PodsWanted<Federation> {}
