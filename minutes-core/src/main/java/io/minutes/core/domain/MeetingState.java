package io.minutes.core.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a meeting, and the only place that says which moves are allowed.
 *
 * <pre>
 *   queued --claim--> running --complete--> completed
 *     ^                 |  |  \--fail-----> failed
 *     |                 |  \----cancel----> cancelled
 *     +--retry/expire---+
 *   queued --cancel--> cancelled      (ingest) --> skipped | failed
 *   failed/cancelled --resume--> queued  (the user asked to run the batch again)
 * </pre>
 */
public enum MeetingState {
    QUEUED, RUNNING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }

    public Set<MeetingState> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, QUEUED, CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(QUEUED);
            case COMPLETED, SKIPPED -> EnumSet.noneOf(MeetingState.class);
        };
    }

    public boolean canMoveTo(MeetingState next) {
        return allowedNext().contains(next);
    }

    /** Lower-case name as it appears in JSON, SQL and the CLI. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static MeetingState fromWire(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
