package io.fedmllm.protocol;

/**
 * The one extension a round gets when its deadline passed with fewer updates than the quorum (or when a stopped
 * {@code fedmllm local} run is resumed during the round), committed as {@code rounds/NNNNN/deadline-extension.json}
 * so a restarted aggregator and the trainers honour the same deadline.
 */
public record DeadlineExtension(int round, long deadlineEpochMillis, String reason) {}
