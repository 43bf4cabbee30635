package io.minutes.core.domain;

/**
 * A meeting of a batch moved to {@code state}. {@code counts} are the batch's counts right after the
 * move, as this node knows them. {@code failure} is set for retries and failures.
 *
 * <p>An event with {@code providerBatch} set tells no meeting's move (its {@code meetingId} is null): it
 * carries the provider's own counts for a provider batch where meetings of this batch wait.
 */
public record ProgressEvent(String batchId, String meetingId, int index, String title, MeetingState state,
                            int attempt, Failure failure, BatchCounts counts, ProviderBatchProgress providerBatch) {

    public ProgressEvent(String batchId, String meetingId, int index, String title, MeetingState state,
                         int attempt, Failure failure, BatchCounts counts) {
        this(batchId, meetingId, index, title, state, attempt, failure, counts, null);
    }

    /** The provider's counts for a provider batch where meetings of {@code batchId} wait. */
    public static ProgressEvent ofProviderBatch(String batchId, ProviderBatchProgress progress, BatchCounts counts) {
        return new ProgressEvent(batchId, null, -1, null, MeetingState.WAITING, 0, null, counts, progress);
    }

    /** Whether this event tells a meeting's move (not a provider batch's counts). */
    public boolean isMeetingMove() {
        return providerBatch == null;
    }
}
