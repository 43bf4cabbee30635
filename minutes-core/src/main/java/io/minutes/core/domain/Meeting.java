package io.minutes.core.domain;

import io.minutes.core.trust.MeetingDate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A meeting as the store holds it. {@code index} is its position in the batch's input order.
 * {@code skipReason} is set for skipped meetings, {@code lastFailure} for failed ones (and for queued
 * ones waiting on a retry), {@code analysis} and {@code usage} for completed ones. A meeting skipped as
 * a duplicate has {@code duplicateOf} (the id of the meeting whose result it shows as its
 * {@code analysis}); a meeting whose result a later duplicate replaced has {@code replacedBy}.
 * {@code lane}: where it is planned to be sent; {@code ranLane}: the lane that produced its minutes (null
 * until a provider answered it); {@code listCostUsd}: what its usage costs in the realtime lane (null:
 * the same as its cost). {@code date}: the day it took place as given by its submitter or its file's metadata (null:
 * not given; see {@link #meetingDate()}).
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
        String replacedBy,
        Lane lane,
        Lane ranLane,
        Double listCostUsd,
        LocalDate date) {

    public Meeting {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        lane = lane == null ? Lane.REALTIME : lane;
    }

    /** A meeting planned for the realtime lane, not yet answered by a provider. */
    public Meeting(String id, String batchId, int index, String source, String title, String contentHash,
                   MeetingState state, int attemptCount, Instant notBefore, String skipReason, Failure lastFailure,
                   Analysis analysis, Usage usage, Instant completedAt, List<Attempt> attempts, AudioRef audio,
                   TranscriptionUsage transcription, String duplicateOf, String replacedBy) {
        this(id, batchId, index, source, title, contentHash, state, attemptCount, notBefore, skipReason, lastFailure,
                analysis, usage, completedAt, attempts, audio, transcription, duplicateOf, replacedBy, Lane.REALTIME,
                null, null, null);
    }

    /** The day it took place: as given or read from its file's metadata, else a date in its file name or title. */
    public LocalDate meetingDate() {
        return MeetingDate.known(date, source, title);
    }

    /** What its minutes would have cost in the realtime lane: its list cost, else its cost (0 without usage). */
    public double listCostOrCost() {
        if (listCostUsd != null) return listCostUsd;
        return usage == null ? 0.0 : usage.costUsd();
    }
}
