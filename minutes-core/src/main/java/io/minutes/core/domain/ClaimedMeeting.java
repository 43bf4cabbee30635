package io.minutes.core.domain;

import io.minutes.core.style.MinutesStyle;

import io.minutes.core.trust.MeetingDate;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A meeting this node now holds a lease on, with what it needs to process it. {@code attempt} is
 * this attempt's number; {@code priorAttempts} the attempts that do not count against the retry
 * budget (those made before a rerun of the batch queued the meeting again, 429s, lost leases), so the
 * retry budget is counted by {@link #attemptInRun()}.
 * An audio meeting has {@code audio} set and {@code transcript} null until a transcript has been
 * checkpointed by an earlier attempt. {@code tier} is its batch's. {@code maxAttempts} is the retry
 * budget its batch was submitted with ({@code options.max_attempts} of the HTTP API), or null when
 * the batch has none and the node's own {@code max-attempts} applies. {@code budgeted}: its batch has a
 * budget, so every paid call is reserved from it first. {@code tenant}: whose meeting it is (null: none).
 * {@code style}: the language and template its batch asked for (null: the node's settings). {@code date}: the day it
 * took place as given or read from its file's metadata (null: not given; see {@link #meetingDate()}). {@code lane}: the
 * lane it is planned for ({@link Lane#REALTIME} or {@link Lane#FLEX} when the dispatcher claims it; a meeting
 * waiting in a provider batch is {@link Lane#BATCH}).
 */
public record ClaimedMeeting(
        String id, String batchId, int index, String source, String title, Transcript transcript,
        int attempt, int priorAttempts, Instant leaseExpiresAt, AudioRef audio, Tier tier, Integer maxAttempts,
        boolean budgeted, String tenant, MinutesStyle style, LocalDate date, Lane lane) {

    public ClaimedMeeting(String id, String batchId, int index, String source, String title, Transcript transcript,
                          int attempt, int priorAttempts, Instant leaseExpiresAt, AudioRef audio, Tier tier,
                          Integer maxAttempts, boolean budgeted, String tenant) {
        this(id, batchId, index, source, title, transcript, attempt, priorAttempts, leaseExpiresAt, audio, tier,
                maxAttempts, budgeted, tenant, null, null, Lane.REALTIME);
    }

    public ClaimedMeeting {
        tier = tier == null ? Tier.ORDINARY : tier;
        lane = lane == null ? Lane.REALTIME : lane;
        if (maxAttempts != null && maxAttempts < 1) throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
    }

    /** The day it took place: as given or read from its file's metadata, else a date in its file name or title. */
    public LocalDate meetingDate() {
        return MeetingDate.known(date, source, title);
    }

    public int attemptInRun() {
        return attempt - priorAttempts;
    }

    /** The attempts this meeting may take in all: its batch's own budget, else {@code nodeDefault}. */
    public int maxAttemptsOr(int nodeDefault) {
        return maxAttempts == null ? nodeDefault : maxAttempts;
    }

    /** An audio meeting whose transcript is not yet known. */
    public boolean needsTranscription() {
        return transcript == null && audio != null;
    }
}
