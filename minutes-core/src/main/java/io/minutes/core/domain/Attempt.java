package io.minutes.core.domain;

import java.time.Instant;

/**
 * One try at a meeting, as stored: {@code failure} is null for the attempt that completed it.
 * An attempt that was still open when its lease expired (the process died) is closed with a
 * transient failure saying so.
 */
public record Attempt(int number, Instant startedAt, Instant finishedAt, Failure failure) {
    public boolean succeeded() {
        return finishedAt != null && failure == null;
    }
}
