package io.fedmllm.protocol;

/**
 * A trainer's report that it cannot take part (its data is empty or broken, or a picture cannot be decoded), at
 * {@code clients/CLIENT/failure.json}. The trainer overwrites it (one atomic put): with {@code active} true when it
 * fails, with {@code active} false when a later start of it got past its pre-flight. The aggregator reads it, by its
 * known key, for each sampled client whose update has not arrived, and drops an actively failed client from the round
 * at once instead of waiting for the deadline.
 *
 * @param reason one line naming the file, line and field when known
 */
public record TrainerFailure(String client, String reason, long epochMillis, boolean active) {}
