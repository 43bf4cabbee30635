package io.minutes.core.domain;

import java.time.Instant;

/**
 * A meeting this node now holds a lease on, with what it needs to process it. {@code attempt} is
 * this attempt's number; {@code priorAttempts} the attempts made before a rerun of the batch queued
 * the meeting again, so the retry budget of this run is counted by {@link #attemptInRun()}.
 */
public record ClaimedMeeting(
        String id, String batchId, int index, String source, String title, Transcript transcript,
        int attempt, int priorAttempts, Instant leaseExpiresAt) {

    public int attemptInRun() {
        return attempt - priorAttempts;
    }
}
