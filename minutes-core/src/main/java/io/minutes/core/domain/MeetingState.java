package io.minutes.core.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a meeting, and the only place that says which moves are allowed: the store makes
 * exactly these moves (its contract suite checks every operation against {@link #canMoveTo}, on
 * every backend), and a meeting is stored first in one of {@link #initial()}.
 *
 * <pre>
 *   stored as  queued | skipped (a duplicate, too short) | failed (unreadable)
 *
 *   queued    --claim--------------------------------> running
 *   queued    --packed into a provider batch---------> waiting
 *   queued    --cancel-------------------------------> cancelled
 *   queued    --replaced by a newer duplicate--------> skipped
 *   running   --complete-----------------------------> completed
 *   running   --fail, or its lease lost too often----> failed
 *   running   --skip (the engine will not run it)----> skipped
 *   running   --cancel-------------------------------> cancelled
 *   running   --retry, release, or its lease lost----> queued
 *   waiting   --its line answered--------------------> completed
 *   waiting   --its line errored, to be retried------> queued
 *   waiting   --not run (expired, cancelled), or the
 *              provider batch refused: planned again-> queued
 *   waiting   --its line errored for good------------> failed
 *   waiting   --the batch cancelled------------------> cancelled
 *   failed    --requeue (the batch run again)--------> queued
 *   cancelled --requeue (the batch run again)--------> queued
 *   completed, skipped: never move again
 * </pre>
 */
public enum MeetingState {
    QUEUED, RUNNING,
    /** Inside a provider batch (the batch lane): no lease; the provider batch's row is what a node leases. */
    WAITING,
    COMPLETED, FAILED, SKIPPED, CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING && this != WAITING;
    }

    public Set<MeetingState> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, WAITING, CANCELLED, SKIPPED);
            case WAITING -> EnumSet.of(COMPLETED, QUEUED, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, SKIPPED, QUEUED, CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(QUEUED);
            case COMPLETED, SKIPPED -> EnumSet.noneOf(MeetingState.class);
        };
    }

    /** The states a meeting can be stored in: to be processed, or decided at ingest. */
    public static Set<MeetingState> initial() {
        return EnumSet.of(QUEUED, SKIPPED, FAILED);
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
