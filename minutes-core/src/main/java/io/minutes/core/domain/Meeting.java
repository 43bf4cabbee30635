package io.minutes.core.domain;

import java.time.Instant;
import java.util.List;

/**
 * A meeting as the store holds it. {@code index} is its position in the batch's input order.
 * {@code skipReason} is set for skipped meetings, {@code lastFailure} for failed ones (and for queued
 * ones waiting on a retry), {@code analysis} and {@code usage} for completed ones. A meeting skipped as
 * a duplicate has {@code duplicateOf} (the id of the meeting whose result it shows as its
 * {@code analysis}); a meeting whose result a later duplicate replaced has {@code replacedBy}.
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
        TranscriptionUsage transcription,
        String duplicateOf,
        String replacedBy) {

    public Meeting {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }
}
