package io.minutes.core.domain;

import java.time.Instant;

/** A meeting this node now holds a lease on, with what it needs to process it. */
public record ClaimedMeeting(
        String id, String batchId, int index, String source, String title, Transcript transcript,
        int attempt, Instant leaseExpiresAt) {
}
