package io.fedmllm.api.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An update the aggregator refused, with the typed reason and a one-line message naming the client and tensor. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RejectedUpdate(String client, RejectionReason reason, String message) {}
