package io.fedmllm.protocol;

/**
 * The one extension a round gets when its deadline passed with fewer updates than the quorum, committed as
 * {@code rounds/NNNNN/deadline-extension.json} so a restarted aggregator honours the same deadline.
 */
public record DeadlineExtension(int round, long deadlineEpochMillis, String reason) {}
