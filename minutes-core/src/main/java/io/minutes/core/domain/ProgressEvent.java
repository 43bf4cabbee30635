package io.minutes.core.domain;

/**
 * A meeting of a batch moved to {@code state}. {@code counts} are the batch's counts right after the
 * move, as this node knows them. {@code failure} is set for retries and failures.
 */
public record ProgressEvent(String batchId, String meetingId, int index, String title, MeetingState state,
                            int attempt, Failure failure, BatchCounts counts) {
}
