package io.minutes.core.domain;

import java.time.Instant;
import java.util.List;

/**
 * A meeting as the store holds it. {@code index} is its position in the batch's input order.
 * {@code skipReason} is set for skipped meetings, {@code lastFailure} for failed ones (and for queued
 * ones waiting on a retry), {@code analysis} and {@code usage} for completed ones.
 */
public record Meeting(
        String id,
        String batchId,
        int index,
        String source,
        String title,
        String contentHash,
        MeetingState state,
        int attemptCount,
        Instant notBefore,
        String skipReason,
        Failure lastFailure,
        Analysis analysis,
        Usage usage,
        Instant completedAt,
        List<Attempt> attempts,
        AudioRef audio,
        TranscriptionUsage transcription) {

    public Meeting {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A transcript meeting (no recording). */
    public Meeting(String id, String batchId, int index, String source, String title, String contentHash,
                   MeetingState state, int attemptCount, Instant notBefore, String skipReason, Failure lastFailure,
                   Analysis analysis, Usage usage, Instant completedAt, List<Attempt> attempts) {
        this(id, batchId, index, source, title, contentHash, state, attemptCount, notBefore, skipReason, lastFailure,
                analysis, usage, completedAt, attempts, null, null);
    }
}
