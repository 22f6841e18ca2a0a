package io.fedmllm.protocol;

import io.fedmllm.strategy.RejectionReason;

/** An update the aggregator refused, with the typed reason and a one-line message naming the client and tensor. */
public record RejectedUpdate(String client, RejectionReason reason, String message) {}
