package io.minutes.core.domain;

import java.time.Instant;

/**
 * A meeting this node now holds a lease on, with what it needs to process it. {@code attempt} is
 * this attempt's number; {@code priorAttempts} the attempts made before a rerun of the batch queued
 * the meeting again, so the retry budget of this run is counted by {@link #attemptInRun()}.
 * An audio meeting has {@code audio} set and {@code transcript} null until a transcript has been
 * checkpointed by an earlier attempt. {@code tier} is its batch's.
 */
public record ClaimedMeeting(
        String id, String batchId, int index, String source, String title, Transcript transcript,
        int attempt, int priorAttempts, Instant leaseExpiresAt, AudioRef audio, Tier tier) {

    public ClaimedMeeting {
        tier = tier == null ? Tier.ORDINARY : tier;
    }

    public ClaimedMeeting(String id, String batchId, int index, String source, String title, Transcript transcript,
                          int attempt, int priorAttempts, Instant leaseExpiresAt, AudioRef audio) {
        this(id, batchId, index, source, title, transcript, attempt, priorAttempts, leaseExpiresAt, audio, Tier.ORDINARY);
    }

    /** A transcript meeting (no recording). */
    public ClaimedMeeting(String id, String batchId, int index, String source, String title, Transcript transcript,
                          int attempt, int priorAttempts, Instant leaseExpiresAt) {
        this(id, batchId, index, source, title, transcript, attempt, priorAttempts, leaseExpiresAt, null);
    }

    public int attemptInRun() {
        return attempt - priorAttempts;
    }

    /** An audio meeting whose transcript is not yet known. */
    public boolean needsTranscription() {
        return transcript == null && audio != null;
    }
}
